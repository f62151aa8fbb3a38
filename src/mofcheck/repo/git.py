"""Running git on an untrusted repository: a minimal environment, command-line overrides that beat the
repository's own config (nothing in it can run a command: fsmonitor, hooks, ssh, pagers, filters, lazy
fetches), a time bound and an output bound."""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence

MiB = 1024 * 1024
GIT_TIMEOUT = 60.0
GIT_MAX_OUTPUT = 512 * MiB


class GitError(Exception):
    pass


def executable() -> str | None:
    return shutil.which("git")


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    # Nothing inherited: no GIT_DIR / GIT_INDEX_FILE from a calling hook, no user or system config.
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_SSH_COMMAND": "false",
        "GIT_PROTOCOL_FROM_USER": "0",
    }
    if os.name == "nt":  # git on Windows needs these to start at all
        for key in ("SYSTEMROOT", "TEMP", "TMP", "USERPROFILE"):
            if key in os.environ:
                env[key] = os.environ[key]
    env.update(extra or {})
    return env


def overrides(root_real: str) -> list[str]:
    """Command-line config, which beats the repository's own: nothing that can run a command."""
    args = [
        "-c", "core.fsmonitor=false",
        "-c", "core.hooksPath=" + os.devnull,
        "-c", "core.untrackedCache=false",
        "-c", "core.attributesFile=" + os.devnull,
        "-c", "core.sshCommand=false",
        "-c", "core.pager=cat",
        "-c", "core.quotePath=false",
        "-c", "protocol.allow=never",
        "-c", "credential.helper=",
        "-c", "diff.external=",
        "-c", "core.alternateRefsCommand=",
        "--no-replace-objects",
    ]  # fmt: skip
    # safe.directory: trust the work tree the user pointed us at (its top is the root or an ancestor);
    # the overrides above are what makes that safe.
    d = root_real
    while True:
        args += ["-c", f"safe.directory={d}"]
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return args


def run_git(
    git: str,
    root_real: str,
    args: Sequence[str],
    *,
    timeout: float = GIT_TIMEOUT,
    max_bytes: int = GIT_MAX_OUTPUT,
    truncate: bool = False,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[bytes, bool]:
    """Run git in `root_real` with a time and an output bound. Returns (stdout, truncated).

    With `truncate`, output beyond `max_bytes` is cut off (the process is killed); otherwise it is an
    error. `env` adds variables to the minimal environment. Raises GitError on failure, timeout or
    oversize output.
    """
    cmd = [git, *overrides(root_real), *args]
    infile = None
    if stdin is not None:
        import tempfile  # only git runs fed from stdin (check-attr)

        infile = tempfile.TemporaryFile()
        infile.write(stdin)
        infile.seek(0)
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=root_real,
            env=environment(env),
            stdin=infile if infile is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as e:
        raise GitError(f"cannot run git: {e.strerror or e}") from e
    finally:
        if infile is not None:
            infile.close()  # the child has its own descriptor
    if os.name == "nt":  # no select() on pipes: time-limited, output-bounded only after the fact
        return _communicate(proc, args, timeout, max_bytes, truncate)
    chunks: list[bytes] = []
    errs: list[bytes] = []
    total = 0
    cut = False
    deadline = time.monotonic() + timeout
    sel = selectors.DefaultSelector()
    try:
        assert proc.stdout is not None and proc.stderr is not None
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        open_streams = 2
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise GitError(f"git {args[0]} timed out after {timeout:g} s")
            for key, _ in sel.select(remaining):
                data = os.read(key.fd, 1 << 20)
                if not data:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                elif key.data == "err":
                    if sum(map(len, errs)) < 8192:
                        errs.append(data)
                else:
                    total += len(data)
                    if total > max_bytes:
                        if not truncate:
                            raise GitError(f"git {args[0]} produced more than {max_bytes} bytes")
                        chunks.append(data[: len(data) - (total - max_bytes)])
                        cut = True
                        open_streams = 0
                        break
                    chunks.append(data)
        if cut:
            return b"".join(chunks), True
        try:
            rc = proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired as e:
            raise GitError(f"git {args[0]} timed out after {timeout:g} s") from e
        if rc != 0:
            msg = b"".join(errs).decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {msg[0] if msg else f'exit status {rc}'}")
        return b"".join(chunks), False
    finally:
        sel.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]


def _communicate(proc: subprocess.Popen, args: Sequence[str], timeout: float, max_bytes: int, truncate: bool) -> tuple[bytes, bool]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as e:
        proc.kill()
        proc.communicate()
        raise GitError(f"git {args[0]} timed out after {timeout:g} s") from e
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {lines[0] if lines else proc.returncode}")
    if len(out) > max_bytes:
        if not truncate:
            raise GitError(f"git {args[0]} produced more than {max_bytes} bytes")
        return out[:max_bytes], True
    return out, False


def looks_like_git(root_real: str) -> bool:
    """Whether `root_real` or an ancestor holds a `.git` (for saying that git is missing)."""
    d = root_real
    for _ in range(64):
        if os.path.lexists(os.path.join(d, ".git")):
            return True
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return False
