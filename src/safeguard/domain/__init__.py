"""Plain domain classes and rules: no I/O beyond reading the packaged code lists."""
