"""Layer 2, inputs: reading the untrusted tree (files, load, migrate, validate, the chart archive).

Everything here turns files into checked model objects or located problems; nothing is computed
or written. Depends only on the model.
"""
