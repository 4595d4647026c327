"""double_repo.py - the tiny repository task e2e tests share: pkg.double(x)
returns x + x + 1 (the bug); FIX corrects it, TEST adds test_two (which
fails without the fix) beside test_one (which passes either way).

    import double_repo            (sys.path: harness/tests/data)
    base = double_repo.commit(repo)   writes pkg/ and tests/test_pkg.py into
                                      repo (made first with any extra files
                                      a test wants) and commits everything
    double_repo.task(tid, repo, base, **fields)   the task, fields overriding
"""
import os
import subprocess

FIX = ('diff --git a/pkg/__init__.py b/pkg/__init__.py\n--- a/pkg/__init__.py\n+++ b/pkg/__init__.py\n'
       '@@ -1,2 +1,2 @@\n def double(x):\n-    return x + x + 1\n+    return x + x\n')
TEST = ('diff --git a/tests/test_pkg.py b/tests/test_pkg.py\n--- a/tests/test_pkg.py\n+++ b/tests/test_pkg.py\n'
        '@@ -2,3 +2,6 @@ import pkg\n \n def test_one():\n     assert pkg.double(0) >= 0\n+\n+def test_two():\n+    assert pkg.double(2) == 4\n')


def commit(repo):
    for d in ('pkg', 'tests'):
        os.makedirs(os.path.join(repo, d), exist_ok=True)
    with open(os.path.join(repo, 'pkg/__init__.py'), 'w') as f:
        f.write('def double(x):\n    return x + x + 1\n')
    with open(os.path.join(repo, 'tests/test_pkg.py'), 'w') as f:
        f.write('import pkg\n\ndef test_one():\n    assert pkg.double(0) >= 0\n')
    git = ['git', '-C', repo]
    subprocess.run(git + ['init', '-q'], check=True)
    subprocess.run(git + ['add', '-A'], check=True)
    subprocess.run(git + ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'], check=True)
    return subprocess.run(git + ['rev-parse', 'HEAD'], check=True, capture_output=True, text=True).stdout.strip()


def task(tid, repo, base, **fields):
    t = {'id': tid, 'kind': 'repo', 'language': 'python', 'repo': repo, 'base_commit': base,
         'problem_statement': 'double(2) returns 5', 'patch': FIX, 'test_patch': TEST,
         'FAIL_TO_PASS': ['tests/test_pkg.py::test_two'], 'PASS_TO_PASS': ['tests/test_pkg.py::test_one'],
         'test_cmd': '/usr/bin/python3 -m pytest -rA -p no:cacheprovider tests', 'log_parser': 'pytest'}
    t.update(fields)
    return t
