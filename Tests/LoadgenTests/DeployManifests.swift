import Foundation
import Testing

/// deploy/kubernetes as the tests read it: the files, and their YAML documents as JSON objects (read by
/// PyYAML in the kubernetes-validate environment, the parser the validator itself uses).
enum DeployManifests {
    typealias Object = [String: Any]

    static let directory = PythonEnvironment.root.appendingPathComponent("deploy/kubernetes")
    static let kustomization = directory.appendingPathComponent("kustomization.yaml")

    /// Every Kubernetes manifest under deploy/kubernetes (tools/ too); kustomization.yaml is Kustomize's, not Kubernetes'.
    static func files() throws -> [URL] {
        let all = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return all.filter { $0.pathExtension == "yaml" && $0.lastPathComponent != "kustomization.yaml" }
            .sorted { $0.path < $1.path }
    }

    /// The YAML documents of `files`, in order, as JSON objects.
    static func documents(_ files: [URL]) throws -> [Object] {
        let python = try PythonEnvironment.kubernetesValidate.ready()
        let script = "import json, sys, yaml; json.dump([d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d is not None], sys.stdout)"
        let o = try CommandLineTests.run(["-c", script] + files.map(\.path), executable: python)
        #expect(o.status == 0, "\(o.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [Object])
    }

    /// Runs kubernetes-validate, strict (unknown fields are errors), against Kubernetes `version`.
    static func validate(_ files: [URL], version: String) throws -> CommandLineTests.Outcome {
        _ = try PythonEnvironment.kubernetesValidate.ready()
        let validator = PythonEnvironment.kubernetesValidate.bin.appendingPathComponent("kubernetes-validate")
        return try CommandLineTests.run(["--strict", "--kubernetes-version", version] + files.map(\.path), executable: validator)
    }

    /// The object of `kind` named `name`.
    static func object(_ kind: String, _ name: String, in documents: [Object]) throws -> Object {
        try #require(documents.first { $0["kind"] as? String == kind && ($0["metadata"] as? Object)?["name"] as? String == name },
                     "no \(kind) \(name) in deploy/kubernetes")
    }

    /// The pod template's spec of a Job or Deployment, or a Pod's spec.
    static func podSpec(_ object: Object) -> Object {
        let spec = object["spec"] as? Object ?? [:]
        return (spec["template"] as? Object).flatMap { $0["spec"] as? Object } ?? spec
    }

    /// A pod spec's init containers and containers.
    static func containers(_ podSpec: Object) -> [Object] {
        (podSpec["initContainers"] as? [Object] ?? []) + (podSpec["containers"] as? [Object] ?? [])
    }

    /// Follows a dotted path of keys (`spec.template.metadata`).
    static func value(_ object: Object, _ path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") { current = (current as? Object)?[String(key)] }
        return current
    }
}
