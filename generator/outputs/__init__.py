"""Layer 4, outputs: one module per output stage (pages, downloads, corrections, releases, charts,
embeds, reference) and their helpers. A stage turns the build context into (path, content) pairs;
it never writes a file itself (the pipeline's writer does).
"""
