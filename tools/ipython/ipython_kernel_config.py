# The IPython profile of the book's kernels (the Makefile points IPYTHONDIR at _build/ipython and copies this
# file into its profile_default). The kernels run on this machine only, so their start-up warning that the
# local TCP connection is not encrypted says nothing about the book: keep the kernel's own log to errors.
# Cell output (stdout, stderr, warnings) is unaffected: a warning printed by a cell still fails the build.
c = get_config()  # noqa: F821 (IPython's config loader defines it)
c.IPKernelApp.log_level = "ERROR"
