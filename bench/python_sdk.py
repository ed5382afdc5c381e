#!/usr/bin/env python3
"""Measures the official Python SDK (PyPI `yuansfer` 3.0.4) so pockyt-rs can be compared with it.

Run by `cargo xtask bench`, which installs yuansfer==3.0.4 into target/bench-venv and runs this
script with that virtualenv's interpreter. Each subcommand prints ONE JSON object on stdout; on an
expected failure it prints one line on stderr and exits 1.

    python_sdk.py sign --iterations N
        Times the SDK's own signing code, `BaseApi.verify_sign_method` (reached here as
        `Client(...).online.verify_sign_method`), over the 13 V1 secure-pay parameters of the API
        reference with token `my-test-token-001`, after checking it yields
        b87dbbd26654229e60e94095833d70e5. That method mutates its argument (it overwrites
        merchantNo/storeNo from the client's configuration and pops verifySign), so every
        iteration signs a fresh `dict.copy()` of the parameters; the copy is included in the
        figure ("includes_dict_copy": true) and its own cost is reported next to it.

    python_sdk.py roundtrip --base-url URL --requests N --merchant-no M --store-no S --token T
                            [--transaction-no X]
        Sends N sequential tran-query requests (`Client(...).data_search.tran_query`, by
        transactionNo) through the SDK's own HTTP client: one `requests.Session` per client, so
        keep-alive is whatever requests' connection pool does. A response carrying any ret_code
        (the simulator answers 000021 "no record" for an unknown number) is a completed round
        trip; transport errors, non-2xx statuses and bodies without a ret_code are counted as
        errors. Latency percentiles use the same rule as tests/src/bin/loopback.rs
        (sorted[floor(len * p)]). No warm-up request: like the Rust loopback, the first request
        pays for the connection.

    python_sdk.py maxrss -- CMD ARGS...
        Runs CMD as a child, waits for it, and reports the child's peak resident set size
        (`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`, KiB on Linux). Exits 0 whenever the
        child could be started; the child's status is in "exit_code" (negative: killed by that
        signal).

        Floor: Linux folds the pre-exec address space into a child's ru_maxrss (exec_mmap records
        the old mm's high-water mark), and subprocess spawns with vfork, whose pre-exec mm is this
        Python process's. So max_rss_kib is never below this script's own peak at spawn time,
        reported as "parent_max_rss_kib" (about 11 MiB; /bin/true, ~1.6 MiB alone, reads as ~12
        MiB). A figure at or near that floor says "at most this much", not a measurement.

Only the standard library and `yuansfer` (plus its dependency `requests`) are used.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

SDK_VERSION = "3.0.4"
SDK_LABEL = "yuansfer " + SDK_VERSION
INSTALL_HINT = "run `cargo xtask bench`, which installs yuansfer==3.0.4 into target/bench-venv"

SIGN_TOKEN = "my-test-token-001"
SIGN_EXPECTED = "b87dbbd26654229e60e94095833d70e5"
# The V1 secure-pay parameters of the API reference (§3.4), as the wire carries them: every value a
# string. goodsInfo must be the JSON text: the SDK signs `str(value)`, so a Python list would be
# signed as its repr ("[{'goods_name': ...}]") and give a different signature.
V1_PARAMS = {
    "merchantNo": "200043",
    "storeNo": "300014",
    "amount": "12.50",
    "currency": "USD",
    "settleCurrency": "USD",
    "vendor": "alipay",
    "terminal": "ONLINE",
    "reference": "order-20240101-0001",
    "ipnUrl": "https://merchant.example.com/pockyt/ipn",
    "callbackUrl": "https://merchant.example.com/return?status={status}&amount={amount}&reference={reference}",
    "timeout": "120",
    "goodsInfo": '[{"goods_name":"T-Shirt","quantity":"2"}]',
    "description": "Test order",
}
SIGN_REPEATS = 5

# An environment name of our own; see `sdk_client` for how it is pointed at --base-url.
BENCH_ENVIRONMENT = "bench"


class Failure(Exception):
    """An expected failure: reported as one line on stderr, exit status 1."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 1."""

    def error(self, message):
        raise Failure("%s: %s" % (self.prog, message))


def load_sdk():
    """Imports yuansfer 3.0.4, or fails with the installation hint."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("yuansfer")
        except PackageNotFoundError:
            raise Failure("python module yuansfer is not installed; " + INSTALL_HINT) from None
        if installed != SDK_VERSION:
            raise Failure("yuansfer %s is installed, this benchmark measures %s; %s"
                          % (installed, SDK_VERSION, INSTALL_HINT))
        from yuansfer.client import Client
        from yuansfer.configuration import Configuration
    except ImportError as e:
        raise Failure("cannot import the yuansfer SDK (%s); %s" % (e, INSTALL_HINT)) from None
    return Client, Configuration


def sdk_client(Client, Configuration, merchant_no, store_no, token, base_url=None):
    """A `yuansfer.client.Client`, optionally pointed at `base_url` instead of Yuansfer's hosts.

    The SDK has no base-URL setting: `Configuration.get_base_uri()` returns
    `self.environments[self.environment]`, where `environments` is a class attribute mapping
    'production' and 'sandbox' to fixed https hosts. The one change made here is to give this
    client's Configuration *instance* its own `environments` dict (the SDK's two entries plus
    'bench' -> base_url) and create the client with environment='bench'. Nothing in the SDK module
    or class is modified, and the scheme is taken as given (http:// works; the SDK's urllib3 Retry
    adapter is mounted on 'https://' only, so plain http requests are never retried).

    merchantNo and storeNo must be configured: the SDK overwrites both in every request body from
    the configuration before signing.
    """
    client = Client(merchantNo=merchant_no, storeNo=store_no, token=token,
                    environment=BENCH_ENVIRONMENT if base_url else "production")
    if base_url:
        client.config.environments = dict(Configuration.environments,
                                          **{BENCH_ENVIRONMENT: base_url.rstrip("/")})
    return client


def cmd_sign(args):
    if args.iterations <= 0:
        raise Failure("sign: --iterations must be positive")
    Client, Configuration = load_sdk()
    client = sdk_client(Client, Configuration, V1_PARAMS["merchantNo"], V1_PARAMS["storeNo"],
                        SIGN_TOKEN)
    sign = client.online.verify_sign_method  # yuansfer.api.base_api.BaseApi.verify_sign_method
    params = V1_PARAMS
    copy = params.copy

    got = sign(copy())
    if got != SIGN_EXPECTED:
        raise Failure("sign: yuansfer %s signs the V1 parameters as %s, expected %s"
                      % (SDK_VERSION, got, SIGN_EXPECTED))

    n = args.iterations
    clock = time.perf_counter_ns
    for _ in range(min(n, 10_000)):  # warm-up
        sign(copy())

    per_sign = []
    per_copy = []
    for _ in range(SIGN_REPEATS):
        start = clock()
        for _ in range(n):
            sign(copy())
        per_sign.append((clock() - start) / n / 1000.0)

        start = clock()
        for _ in range(n):
            copy()
        per_copy.append((clock() - start) / n / 1000.0)

    return {
        "what": "python_sign",
        "sdk": SDK_LABEL,
        "function": "yuansfer.api.base_api.BaseApi.verify_sign_method",
        "python": "%d.%d.%d" % sys.version_info[:3],
        "iterations": n,
        "repeats": SIGN_REPEATS,
        "us_per_sign_median": round(statistics.median(per_sign), 4),
        "us_per_sign_min": round(min(per_sign), 4),
        "includes_dict_copy": True,
        "us_per_dict_copy_median": round(statistics.median(per_copy), 4),
    }


def cmd_roundtrip(args):
    if args.requests <= 0:
        raise Failure("roundtrip: --requests must be positive")
    if not args.base_url.startswith(("http://", "https://")):
        raise Failure("roundtrip: --base-url must start with http:// or https://")
    Client, Configuration = load_sdk()
    client = sdk_client(Client, Configuration, args.merchant_no, args.store_no, args.token,
                        args.base_url)
    tran_query = client.data_search.tran_query  # yuansfer.api.data_search_api.DataSearchApi
    number = args.transaction_no
    clock = time.perf_counter_ns

    latencies_ns = []
    errors = 0
    first_error = None
    ret_codes = {}
    started = clock()
    for _ in range(args.requests):
        t = clock()
        try:
            # A fresh body every time: the SDK adds merchantNo, storeNo and verifySign to it.
            response = tran_query({"transactionNo": number})
            body = response.body
            code = body.get("ret_code") if isinstance(body, dict) else None
            if not response.is_success():
                raise Failure("HTTP status %d" % response.status_code)
            if code is None:
                raise Failure("response without ret_code: %.200s" % (response.response,))
        except Exception as e:  # transport errors, non-JSON bodies, the checks above
            errors += 1
            if first_error is None:
                first_error = "%s: %s" % (type(e).__name__, e)
        else:
            ret_codes[code] = ret_codes.get(code, 0) + 1
        latencies_ns.append(clock() - t)
    seconds = (clock() - started) / 1e9

    if errors == args.requests:
        raise Failure("roundtrip: all %d requests to %s failed; first: %s"
                      % (errors, args.base_url, first_error))

    latencies_ns.sort()

    def pct_ms(p):
        index = min(int(len(latencies_ns) * p), len(latencies_ns) - 1)
        return round(latencies_ns[index] / 1e6, 4)

    report = {
        "what": "python_roundtrip",
        "sdk": SDK_LABEL,
        "python": "%d.%d.%d" % sys.version_info[:3],
        "base_url": args.base_url,
        "requests": args.requests,
        "errors": errors,
        "seconds": round(seconds, 6),
        "requests_per_second": round(args.requests / seconds, 2),
        "p50_ms": pct_ms(0.50),
        "p99_ms": pct_ms(0.99),
        "ret_codes": ret_codes,
    }
    if first_error is not None:
        report["first_error"] = first_error
    return report


def cmd_maxrss(command):
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise Failure("maxrss: usage: python_sdk.py maxrss -- CMD ARGS...")
    # Taken before spawning: the child's ru_maxrss cannot be below it (see the module docstring).
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        child = subprocess.run(command)
    except OSError as e:
        raise Failure("maxrss: cannot run %s: %s" % (command[0], e.strerror or e)) from None
    return {
        "what": "maxrss",
        "command": command,
        "exit_code": child.returncode,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "parent_max_rss_kib": floor,
    }


def build_parser():
    parser = Parser(prog="python_sdk.py",
                    description="Benchmarks of the yuansfer %s Python SDK." % SDK_VERSION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{sign,roundtrip,maxrss}")

    sign = sub.add_parser("sign", help="time the SDK's signing code")
    sign.add_argument("--iterations", type=int, required=True)

    rt = sub.add_parser("roundtrip", help="sequential tran-query requests through the SDK client")
    rt.add_argument("--base-url", required=True)
    rt.add_argument("--requests", type=int, required=True)
    rt.add_argument("--merchant-no", required=True)
    rt.add_argument("--store-no", required=True)
    rt.add_argument("--token", required=True)
    rt.add_argument("--transaction-no", default="297553638300708562")

    sub.add_parser("maxrss", help="peak RSS of a child command: maxrss -- CMD ARGS...")
    return parser


def main(argv):
    try:
        # maxrss takes everything after it verbatim, so it is not left to argparse.
        if argv and argv[0] == "maxrss":
            report = cmd_maxrss(argv[1:])
        else:
            args = build_parser().parse_args(argv)
            if args.command == "maxrss":  # only reachable as e.g. `python_sdk.py -- maxrss`
                raise Failure("maxrss: usage: python_sdk.py maxrss -- CMD ARGS...")
            report = {"sign": cmd_sign, "roundtrip": cmd_roundtrip}[args.command](args)
    except Failure as e:
        print(str(e).splitlines()[0] if str(e) else "failed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("python_sdk.py: interrupted", file=sys.stderr)
        return 1
    print(json.dumps(report))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
