"""Layer 5, pipeline: the build orchestration (gather, stages in order, writer, engine) and the
tools built on it (serve, diff, revisions, bench, scaffold). Only the command line sits above.
"""
