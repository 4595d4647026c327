"""tokenbench: Python 3.11 compatibility shims for SWE-bench environments.

SWE-bench's images ran these repositories under Python 3.9; Debian 12 has
3.11. This file is put first on PYTHONPATH by an environment spec
(pythonpath "{shims}"), so Python imports it at start-up in place of the
system's sitecustomize, which it then runs. It changes no repository file;
each shim undoes one 3.10/3.11 change that old releases of the repositories
trip over, and nothing else.
"""
import sys


def _collections_aliases():
    # Python 3.10 removed the ABC aliases (collections.Mapping, ...) that old
    # requests, sphinx and pytest releases still import.
    import collections
    import collections.abc
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


def _types_union():
    # Python 3.10's betas named the type of "X | Y" types.Union; the release
    # named it types.UnionType. Sphinx 4.1 and 4.2 import the betas' name on any
    # Python above 3.10.
    import types
    if not hasattr(types, "Union") and hasattr(types, "UnionType"):
        types.Union = types.UnionType


def _ast_positions():
    # Python 3.10 gave ast.alias a position, and 3.11's compile() rejects
    # nodes without one or whose end lies before their start. Old pytest
    # assertion rewriting builds alias nodes without positions and copies
    # start positions onto nodes that keep their old end.
    import ast
    import builtins

    for attr, value in (("lineno", 1), ("col_offset", 0), ("end_lineno", None), ("end_col_offset", None)):
        if not hasattr(ast.alias, attr):
            try:
                setattr(ast.alias, attr, value)
            except (AttributeError, TypeError):
                pass

    def fix_ends(tree):
        for node in ast.walk(tree):
            end, start = getattr(node, "end_lineno", None), getattr(node, "lineno", None)
            if end is None or start is None:
                continue
            end_col, col = getattr(node, "end_col_offset", None), getattr(node, "col_offset", None)
            if end < start or (end == start and end_col is not None and col is not None and end_col < col):
                node.end_lineno = None
                node.end_col_offset = None

    real_compile = builtins.compile

    def compile(source, *args, **kwargs):
        if isinstance(source, ast.AST):
            fix_ends(source)
        return real_compile(source, *args, **kwargs)

    compile.__doc__ = real_compile.__doc__
    builtins.compile = compile


class _QuietImportWarnings:
    """Stands in for the _warnings module inside importlib's bootstrap: drops
    the two ImportWarnings that 3.10 added for import hooks without
    find_spec()/exec_module() (old pytest's rewriting hook), which the
    repositories' own "filterwarnings = error" would turn into failures."""

    _drop = ("find_spec() not found; falling back to find_module()",
             "exec_module() not found; falling back to load_module()")

    def __init__(self, real):
        self._real = real

    def warn(self, message, category=None, *args, **kwargs):
        if category is ImportWarning and any(d in str(message) for d in self._drop):
            return None
        return self._real.warn(message, category, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


def _import_warnings():
    for name in ("_frozen_importlib", "_frozen_importlib_external"):
        mod = sys.modules.get(name)
        real = getattr(mod, "_warnings", None)
        if real is not None and not isinstance(real, _QuietImportWarnings):
            mod._warnings = _QuietImportWarnings(real)


def _drop_warnings():
    # TOKENBENCH_DROP_WARNINGS="text|text": a warning whose message holds one
    # of these texts is never issued. For warnings that Debian's newer
    # libraries add (pytest 7.2's nose deprecation, setuptools' distutils
    # Version classes) and that an old test suite's own filters, set after
    # start-up, turn into errors where SWE-bench's older libraries said
    # nothing; PYTHONWARNINGS cannot reach them
    import os
    import warnings
    texts = [t for t in os.environ.get("TOKENBENCH_DROP_WARNINGS", "").split("|") if t]
    if not texts:
        return
    real = warnings.warn

    def warn(message, category=None, stacklevel=1, source=None):
        if any(t in str(message) for t in texts):
            return None
        return real(message, category, stacklevel + 1, source)

    warn.__doc__ = real.__doc__
    warnings.warn = warn


def _site_allow():
    # SWE-bench's environment for some repositories holds only a few
    # packages besides the repository (sympy's: mpmath), and the tests
    # behave differently when an optional one is importable (numpy, scipy,
    # gmpy2 ...). TOKENBENCH_SITE_ALLOW=name,name hides the system's
    # site-packages but for those top-level modules, as if nothing else
    # were installed; submodules follow their package.
    import importlib.machinery
    import os
    allow = os.environ.get("TOKENBENCH_SITE_ALLOW")
    if allow is None:
        return
    names = {n.strip() for n in allow.split(",") if n.strip()}
    site = [p for p in sys.path if os.path.basename(p.rstrip("/")) in ("dist-packages", "site-packages")]
    sys.path[:] = [p for p in sys.path if p not in site]

    class _Allowed:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if path is not None or name not in names:
                return None
            return importlib.machinery.PathFinder.find_spec(name, site)

    sys.meta_path.append(_Allowed)


def _recursion_limit():
    # TOKENBENCH_RECURSION_LIMIT=N: Python 3.11 reaches the default limit
    # (1000) on some recursions that 3.9 finished under it
    import os
    n = os.environ.get("TOKENBENCH_RECURSION_LIMIT")
    if n and n.isdigit() and int(n) > sys.getrecursionlimit():
        sys.setrecursionlimit(int(n))


def _random_seed():
    # TOKENBENCH_RANDOM_SEED=N seeds the random module at start-up, so that
    # a test runner that draws its own seed from it (sympy's bin/test) draws
    # the same one each run
    import os
    n = os.environ.get("TOKENBENCH_RANDOM_SEED")
    if n and n.isdigit():
        import random
        random.seed(int(n))


def _chain():
    # run the sitecustomize this one shadows, if the system has one here
    import importlib.machinery
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.origin is None or not os.path.exists(spec.origin):
        return
    code = compile(open(spec.origin, "rb").read(), spec.origin, "exec")
    exec(code, {"__name__": "sitecustomize", "__file__": spec.origin})


_collections_aliases()
_types_union()
_site_allow()
_recursion_limit()
_random_seed()
_ast_positions()
_import_warnings()
_drop_warnings()
_chain()
