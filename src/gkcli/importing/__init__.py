"""Reading a published plan document into rows of tasks, with every doubtful cell noted."""
