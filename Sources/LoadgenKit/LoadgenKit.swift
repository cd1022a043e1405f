// LoadgenKit: everything a package of its own needs to load-test a WhatsApp bot with loadgen — the
// scenario DSL and the wire formats (LoadgenCore), scenario files (LoadgenFiles), the built-in scenarios (LoadgenScenarios), the
// runtime and its drivers (LoadgenRuntime), and the command line to put in an `@main` (LoadgenCLI).
// What is API and what may change: README "Your own package".
@_exported import LoadgenCLI
@_exported import LoadgenCore
@_exported import LoadgenFiles
@_exported import LoadgenRuntime
@_exported import LoadgenScenarios
