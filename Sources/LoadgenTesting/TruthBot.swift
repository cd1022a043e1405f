enum LoadgenTestingPlaceholder {}
