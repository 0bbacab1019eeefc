"""Great Expectations suites that gate every load, and the runner that validates DataFrames with them."""
