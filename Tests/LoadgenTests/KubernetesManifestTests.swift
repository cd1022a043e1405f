import Foundation
import Testing

/// deploy/kubernetes validates offline against Kubernetes' own schemas (kubernetes-validate, from PyPI,
/// installed into `.build/` by the test), strictly: a misspelt field fails as a wrong type does. Then
/// what no schema knows: the manifests agree with each other and with loadgen's flags.
@Suite(.timeLimit(.minutes(5)))
struct KubernetesManifestTests {
    typealias M = DeployManifests
    typealias Object = DeployManifests.Object

    /// The oldest Kubernetes the manifests are for (Indexed Jobs, the completion-index annotation and
    /// `seccompProfile` are all GA there) and the newest the pinned validator knows.
    static let versions = ["1.28.0", "1.37.0"]

    @Test func everyManifestValidatesAgainstKubernetesSchemas() throws {
        let files = try M.files()
        let documents = try M.documents(files)
        #expect(files.map(\.lastPathComponent) == [
            "hub-job.yaml", "hub-service.yaml", "merge-job.yaml", "namespace.yaml", "reports-pvc.yaml", "run-config.yaml",
            "scenario.yaml", "secret.yaml", "shards-job.yaml", "reports-reader.yaml",
        ])
        for version in Self.versions {
            let v = try M.validate(files, version: version)
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
            // A kind without a schema is only a warning to kubernetes-validate: every resource must have passed.
            let passed = v.stdout.split(separator: "\n").filter { $0.hasPrefix("INFO ") && $0.contains(" passed for resource ") }
            #expect(passed.count == documents.count, "\(v.stdout)")
            #expect(!v.stdout.contains("WARN") && !v.stdout.contains("ERROR"), "\(v.stdout)")
        }
    }

    /// The validator is strict: copies of the manifests with one field misspelt, one of the wrong type,
    /// and one required field missing each fail, and the message names the field.
    @Test(arguments: [
        ("shards-job.yaml", "  backoffLimit: 0", "  backoffLimits: 0", "'backoffLimits' was unexpected"),
        ("hub-job.yaml", "  parallelism: 1", "  parallelism: one", "spec.parallelism: 'one' is not of type 'integer'"),
        ("hub-service.yaml", "      port: 7000\n", "", "'port' is a required property"),
    ])
    func theValidatorFailsABrokenManifest(file: String, original: String, broken: String, message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-k8s-\(getpid())-\(file)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: M.directory.appendingPathComponent(file), encoding: .utf8)
        #expect(text.components(separatedBy: original).count == 2, "the manifest changed: '\(original)' is not in \(file) once")
        let copy = dir.appendingPathComponent(file)
        try text.replacingOccurrences(of: original, with: broken).write(to: copy, atomically: true, encoding: .utf8)
        let v = try M.validate([copy], version: Self.versions[0])
        #expect(v.status == 1, "\(v.stdout)\(v.stderr)")
        #expect(v.stdout.contains("ERROR") && v.stdout.contains(message), "\(v.stdout)")
    }

    /// Kustomize's list is every manifest of the folder but the placeholder Secret (applying it would
    /// overwrite the real one), and the namespace it sets is the one it creates.
    @Test func theKustomizationListsEveryManifest() throws {
        let documents = try M.documents([M.kustomization])
        let kustomization = try #require(documents.first)
        let listed = Set(kustomization["resources"] as? [String] ?? [])
        let files = try FileManager.default.contentsOfDirectory(atPath: M.directory.path)
        #expect(listed == Set(files.filter { $0.hasSuffix(".yaml") && !["kustomization.yaml", "secret.yaml"].contains($0) }))
        let namespace = try M.object("Namespace", "loadgen", in: try M.documents([M.directory.appendingPathComponent("namespace.yaml")]))
        #expect(kustomization["namespace"] as? String == (namespace["metadata"] as? Object)?["name"] as? String)
        #expect((kustomization["images"] as? [Object])?.first?["name"] as? String == "loadgen")
    }

    /// The shards: an Indexed Job of SHARDS pods, never retried, each `--shard INDEX/SHARDS` with its
    /// own report folder; the hub and the merge agree on SHARDS, the hub's address and the reports' paths.
    @Test func theShardsTheHubAndTheMergeAgree() throws {
        let d = try M.documents(try M.files())
        let run = try #require(try M.object("ConfigMap", "loadgen-run", in: d)["data"] as? [String: String])
        let shards = try M.object("Job", "loadgen-shards", in: d), merge = try M.object("Job", "loadgen-merge", in: d)
        let hub = try M.object("Job", "loadgen-hub", in: d), service = try M.object("Service", "loadgen-hub", in: d)
        let spec = try #require(shards["spec"] as? Object)
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["completions"] as? Int == Int(run["SHARDS"] ?? ""), "completions = SHARDS")
        #expect(spec["parallelism"] as? Int == Int(run["SHARDS"] ?? ""), "parallelism = SHARDS")
        for job in [shards, merge, hub] {  // none retried: a shard twice doubles load, a hub twice starts a run nobody joins
            #expect((job["spec"] as? Object)?["backoffLimit"] as? Int == 0 && M.podSpec(job)["restartPolicy"] as? String == "Never")
        }

        let shard = try #require(M.containers(M.podSpec(shards)).first)
        let args = shard["args"] as? [String] ?? []
        func after(_ flag: String, _ args: [String]) -> String? { args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
        #expect(after("--shard", args) == "$(JOB_COMPLETION_INDEX)/$(SHARDS)")
        #expect(after("--report-dir", args) == "/reports/$(RUN_ID)/shard-$(JOB_COMPLETION_INDEX)")
        let hubArgs = try #require(M.containers(M.podSpec(hub)).first?["args"] as? [String])
        #expect(after("--shards", hubArgs) == "$(SHARDS)")
        let hubPort = try #require((service["spec"] as? Object)?["ports"] as? [Object]).first { $0["name"] as? String == "hub" }?["port"] as? Int
        #expect(after("--hub", args) == "http://loadgen-hub:\(hubPort ?? 0)")
        #expect(after("--listen", hubArgs) == "0.0.0.0:\(hubPort ?? 0)")
        for flag in ["-f", "--seed", "--concurrency", "--duration"] { #expect(after(flag, args) == after(flag, hubArgs), "\(flag)") }
        let selector = try #require(M.value(service, "spec.selector") as? [String: String])
        let podLabels = try #require(M.value(hub, "spec.template.metadata.labels") as? [String: String])
        #expect(selector.allSatisfy { podLabels[$0.key] == $0.value }, "the Service selects the hub's pods")

        // The merge reads what the shards write, with `loadgen merge`'s real flag for its output.
        let script = try #require(M.containers(M.podSpec(merge)).last?["command"] as? [String]).joined(separator: "\n")
        #expect(script.contains(#""/reports/$RUN_ID/shard-$i/report.json""#))
        #expect(script.contains(#"exec loadgen merge "$@" --output "/reports/$RUN_ID/merged""#))
        let help = try CommandLineTests.run(["merge", "--help"])
        #expect(help.stdout.contains("-o, --output <dir|file.json>"), "\(help.stdout)")
    }

    /// Every `$(VAR)` in a container's args is defined for it, every ConfigMap, Secret key and volume claim
    /// it names exists, secrets reach it only as env from the Secret, and the Secret holds placeholders.
    @Test func everyReferenceResolvesAndSecretsStayInTheSecret() throws {
        let d = try M.documents(try M.files())
        let secret = try M.object("Secret", "loadgen-whatsapp", in: d)
        let secretKeys = try #require(secret["stringData"] as? [String: String])
        #expect(secretKeys.values.allSatisfy { $0.hasPrefix("replace-me") }, "placeholders only, never a real secret")
        for workload in d where ["Job", "Deployment", "Pod"].contains(workload["kind"] as? String) {
            let spec = M.podSpec(workload)
            for claim in (spec["volumes"] as? [Object] ?? []).compactMap({ M.value($0, "persistentVolumeClaim.claimName") as? String }) {
                _ = try M.object("PersistentVolumeClaim", claim, in: d)
            }
            for name in (spec["volumes"] as? [Object] ?? []).compactMap({ M.value($0, "configMap.name") as? String }) {
                _ = try M.object("ConfigMap", name, in: d)
            }
            #expect(!(spec["volumes"] as? [Object] ?? []).contains { $0["secret"] != nil }, "no secret volumes")
            for container in M.containers(spec) {
                var defined: Set<String> = []
                for source in container["envFrom"] as? [Object] ?? [] {
                    #expect(source["secretRef"] == nil, "secrets come one by one from secretKeyRef")
                    let name = try #require(M.value(source, "configMapRef.name") as? String)
                    defined.formUnion((try M.object("ConfigMap", name, in: d)["data"] as? [String: String] ?? [:]).keys)
                }
                for env in container["env"] as? [Object] ?? [] {
                    defined.insert(env["name"] as? String ?? "")
                    guard let ref = M.value(env, "valueFrom.secretKeyRef") as? Object else { continue }
                    #expect(ref["name"] as? String == "loadgen-whatsapp")
                    let key = ref["key"] as? String ?? ""
                    #expect(secretKeys[key] != nil || ref["optional"] as? Bool == true, "\(key) is in the Secret, or optional")
                    #expect(key == env["name"] as? String, "the variable loadgen reads is the Secret's key")
                }
                let args = (container["args"] as? [String] ?? []).joined(separator: " ")
                #expect(!args.contains("SECRET") && !args.contains("TOKEN"), "no secret on a command line: \(args)")
                for reference in Self.references(in: args) { #expect(defined.contains(reference), "$(\(reference)) in \(container["name"] ?? "")") }
            }
        }
    }

    /// Non-root, no privilege escalation, read-only root filesystems, and requests and limits, everywhere.
    @Test func everyPodIsLockedDownAndSized() throws {
        let d = try M.documents(try M.files())
        for workload in d where ["Job", "Deployment", "Pod"].contains(workload["kind"] as? String) {
            let spec = M.podSpec(workload), name = M.value(workload, "metadata.name") as? String ?? ""
            #expect(M.value(spec, "securityContext.runAsNonRoot") as? Bool == true, "\(name)")
            #expect(M.value(spec, "securityContext.runAsUser") as? Int == 10001, "\(name): the image's user")
            #expect(spec["automountServiceAccountToken"] as? Bool == false, "\(name)")
            for c in M.containers(spec) {
                #expect(M.value(c, "securityContext.readOnlyRootFilesystem") as? Bool == true, "\(name)/\(c["name"] ?? "")")
                #expect(M.value(c, "securityContext.allowPrivilegeEscalation") as? Bool == false, "\(name)/\(c["name"] ?? "")")
                #expect(M.value(c, "securityContext.capabilities.drop") as? [String] == ["ALL"], "\(name)/\(c["name"] ?? "")")
                for part in ["requests", "limits"] {
                    let r = M.value(c, "resources.\(part)") as? Object
                    #expect(r?["cpu"] != nil && r?["memory"] != nil, "\(name)/\(c["name"] ?? ""): \(part)")
                }
            }
        }
    }

    /// The ConfigMap's scenario is one `loadgen validate` accepts, mounted where `-f` reads it.
    @Test func theConfigMapHoldsAValidScenarioFile() throws {
        let d = try M.documents(try M.files())
        let scenario = try #require((try M.object("ConfigMap", "loadgen-scenario", in: d)["data"] as? [String: String])?["scenario.yaml"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-k8s-scenario-\(getpid()).yaml")
        try scenario.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let v = try CommandLineTests.run(["validate", file.path])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let shard = try #require(M.containers(M.podSpec(try M.object("Job", "loadgen-shards", in: d))).first)
        let mount = (shard["volumeMounts"] as? [Object] ?? []).first { $0["name"] as? String == "scenario" }?["mountPath"] as? String
        #expect((shard["args"] as? [String] ?? []).contains("\(mount ?? "?")/scenario.yaml"))
    }

    /// The `NAME`s of `$(NAME)` references (Kubernetes expands them in args from the container's environment).
    static func references(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "$("), let end = rest[start.upperBound...].firstIndex(of: ")") {
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}
