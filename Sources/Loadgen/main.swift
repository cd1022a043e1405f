import LoadgenCLI

// The `loadgen` binary: the command line with the built-in scenarios. A package of your own gets the
// same command line with its scenarios beside them: `await LoadgenCLI.main(scenarios: [...])`.
await LoadgenCLI.main()
