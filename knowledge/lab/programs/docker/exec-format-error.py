"""The kernel refuses to execute an entrypoint: ENOEXEC, "exec format error".

Docker prints `exec /entrypoint.sh: exec format error` for the same execve() failure this
program gets from the kernel directly: a script whose first line is not a `#!` line, or a
binary built for another CPU architecture (an arm64 image on an amd64 host, or the reverse).
"""
import os
import stat
import struct
import subprocess

import labkit


def make_executable(path, data):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def no_shebang(fix):
    script = b"set -e\necho starting app\nexit 0\n"
    if fix is None:
        # a comment block (or a UTF-8 BOM) before the interpreter line: the kernel sees no "#!"
        make_executable("docker-entrypoint.sh", b"# entrypoint for the api image\n" + script)
    elif fix == "add-shebang":
        make_executable("docker-entrypoint.sh", b"#!/bin/sh\n" + script)
    else:
        raise labkit.UnknownFix(fix)
    subprocess.run(["./docker-entrypoint.sh"], check=True)


def foreign_architecture(fix):
    if fix is not None:
        raise labkit.UnknownFix(fix)
    machine = os.uname().machine
    # An ELF header for the other common architecture (what `docker build` on an Apple Silicon
    # Mac produces for an amd64 server, or the reverse): EM_AARCH64 = 183, EM_X86_64 = 62.
    e_machine = 62 if machine in ("aarch64", "arm64") else 183
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header += struct.pack("<HHIQQQIHHHHHH", 2, e_machine, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    header += struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x80, 0x80, 0x1000)
    make_executable("server", header + bytes(8))
    # what `uname -m` and `file ./server` tell the person debugging it
    arch = {62: "x86-64", 183: "ARM aarch64"}[e_machine]
    print(f"$ uname -m\n{machine}\n$ file ./server\n./server: ELF 64-bit LSB executable, {arch}, statically linked", flush=True)
    subprocess.run(["./server"], check=True)


labkit.run({"no-shebang": no_shebang, "foreign-architecture": foreign_architecture})
