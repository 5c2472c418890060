"""Layer 3, compute: formulas parsed without eval, interval arithmetic, derived figures and checks."""
