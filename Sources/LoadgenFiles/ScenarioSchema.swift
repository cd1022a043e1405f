import Foundation
import LoadgenCore

extension ScenarioFile {
    /// The JSON Schema (draft 2020-12) of scenario files, built from the same key tables the reader
    /// checks, so an editor that completes and checks a file agrees with `loadgen validate`.
    /// `loadgen schema` prints it; `schema/scenario.schema.json` is this, committed.
    public static var jsonSchema: String {
        var root = SchemaParts.root()
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = "https://loadgen.dev/schema/scenario.schema.json"
        root["title"] = "loadgen scenario file"
        root["$defs"] = ["matcher": SchemaParts.matcher, "choose": SchemaParts.choose, "step": SchemaParts.step(),
                         "steps": ["type": "array", "items": SchemaParts.ref("step")]]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The schema's parts, each from the reader's key table for it.
private enum SchemaParts {
    typealias R = NodeReader
    static var text: [String: Any] { ["type": "string"] }
    static var texts: [String: Any] { ["oneOf": [text, ["type": "array", "items": text]]] }
    static var time: [String: Any] {
        ["oneOf": [["type": "string", "pattern": #"^[0-9.]+(ms|s|m|h)?$"#], ["type": "number", "minimum": 0]],
         "description": "30s, 5m, 250ms or seconds"]
    }
    static var number: [String: Any] { ["type": "number"] }
    static var whole: [String: Any] { ["type": "integer", "minimum": 0] }

    static func object(_ properties: [String: Any], required: [String] = [], exactlyOne: Bool = false) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        if !required.isEmpty { o["required"] = required }
        if exactlyOne { o["minProperties"] = 1; o["maxProperties"] = 1 }
        return o
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/$defs/\(name)"] }

    static var matcher: [String: Any] {
        ["oneOf": [
            ["enum": ["any", "interactive"]],
            object(Dictionary(uniqueKeysWithValues: R.matcherKeys.map { key -> (String, Any) in
                switch key {
                case "buttons": (key, ["type": "array", "items": text])
                case "oneOf": (key, ["type": "array", "items": ref("matcher")])
                case "not": (key, ref("matcher"))
                case "list": (key, ["type": ["string", "null"]])
                default: (key, text)
                }
            }), exactlyOne: true),
        ]]
    }

    static var choose: [String: Any] {
        ["oneOf": [["const": "any"], object(Dictionary(uniqueKeysWithValues: R.chooseKeys.map { key -> (String, Any) in
            (key, ["row", "button"].contains(key) ? whole : text)
        }), exactlyOne: true)]]
    }

    static func step() -> [String: Any] {
        let idTitle = object(["id": text, "title": text], required: ["id"])
        let properties: [String: Any] = Dictionary(uniqueKeysWithValues: R.stepKeys.map { key -> (String, Any) in
            switch key {
            case "send": (key, texts)
            case "burst": (key, ["type": "array", "items": text])
            case "button", "row": (key, idTitle)
            case "location": (key, object(["latitude": number, "longitude": number, "name": text], required: ["latitude", "longitude"]))
            case "image": (key, ["oneOf": [["type": "null"], object(["caption": text])]])
            case "audio": (key, object(["voice": ["type": "boolean"]]))
            case "document": (key, object(["filename": text, "caption": text]))
            case "sticker": (key, object(["animated": ["type": "boolean"]]))
            case "video": (key, ["oneOf": [["type": "null"], object(["caption": text])]])
            case "contact": (key, object(["name": text, "phone": text], required: ["name", "phone"]))
            case "order": (key, object(["catalog": text, "text": text, "items": ["type": "array", "minItems": 1, "items": object(
                ["id": text, "quantity": ["type": "integer", "minimum": 1], "price": number, "currency": text],
                required: ["id", "quantity", "price", "currency"])]], required: ["items"]))
            case "changedNumber": (key, ["type": "null"])
            case "flowReply": (key, ["type": "object", "additionalProperties": text])
            case "adClick": (key, object(["text": text, "headline": text], required: ["text"]))
            case "reaction": (key, ["type": ["string", "null"]])
            case "unsupported": (key, ["type": ["string", "null"]])
            case "revoke": (key, ["type": "null"])
            case "edit": (key, ["oneOf": [text, object(["caption": text], required: ["caption"])]])
            case "template": (key, object(["name": text, "values": ["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]]]],
                                          required: ["name"]))
            case "expect": (key, ref("matcher"))
            case "within": (key, time)
            case "think": (key, ["type": ["string", "number"], "description": "a time or MIN-MAX, e.g. 2s or 1s-3s"])
            case "choose": (key, ref("choose"))
            case "branch": (key, object(["if": ref("matcher"), "then": ref("steps"), "else": ref("steps")], required: ["if", "then"]))
            default: (key, object(["times": ["type": "integer", "minimum": 1], "steps": ref("steps")], required: ["times", "steps"]))
            }
        })
        return ["type": "object", "properties": properties, "additionalProperties": false, "minProperties": 1]
    }

    static func root() -> [String: Any] {
        let smoke = object(Dictionary(uniqueKeysWithValues: R.smokeKeys.map { key -> (String, Any) in
            (key, ["agentAnswer", "menu"].contains(key) ? ref("matcher") : text)
        }))
        let graceful = object(Dictionary(uniqueKeysWithValues: FailurePattern.allCases.map { ($0.rawValue, ref("matcher")) }))
        let expectations = object(["fallbackPhrases": ["type": "array", "items": text], "graceful": graceful, "smoke": smoke])
        let load = object(Dictionary(uniqueKeysWithValues: R.loadKeys.map { key -> (String, Any) in
            switch key {
            case "users", "maxInFlight": (key, ["type": "integer", "minimum": 1])
            case "arrivals": (key, number)
            case "duration": (key, time)
            default: (key, ["type": "array", "items": object(["duration": time, "rate": number], required: ["duration", "rate"])])
            }
        }))
        let persona = object(Dictionary(uniqueKeysWithValues: R.personaKeys.map { key -> (String, Any) in
            switch key {
            case "weight": (key, ["type": "integer", "minimum": 1])
            case "identity": (key, ["enum": ["phone", "username-only"]])
            case "steps": (key, ref("steps"))
            default: (key, text)
            }
        }), required: ["name", "steps"])
        return object(Dictionary(uniqueKeysWithValues: R.scenarioKeys.map { key -> (String, Any) in
            switch key {
            case "load": (key, load)
            case "criteria", "chaos": (key, texts)
            case "expectations": (key, expectations)
            case "personas": (key, ["type": "array", "items": persona, "minItems": 1])
            case "users": (key, ["type": "string", "description": "a users CSV file, relative to this file (README, 'Your users')"])
            default: (key, text)
            }
        }), required: ["name", "personas"])
    }
}

