"""The meeting screen's right-hand panes, one module per kind of stage."""
