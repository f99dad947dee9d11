"""The Textual UI of the planner: one module per screen, styles in a .tcss file beside each."""
