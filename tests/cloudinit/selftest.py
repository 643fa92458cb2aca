#!/usr/bin/env python3
"""Proves seed_client.py against demo_server.py (no product code involved).

    python3 tests/cloudinit/selftest.py      # prints 'N passed, N failed'; exit 1 on failure
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = [("/usr/bin/python3"), os.path.join(HERE, "seed_client.py")]


def start(variant):
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "demo_server.py"),
                          "--variant", variant, "--lifetime", "120"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline().strip()
    assert line.startswith("PORT="), line
    return p, int(line[5:])


def client(*args):
    r = subprocess.run(CLIENT + list(args), capture_output=True, text=True, timeout=90)
    return r.returncode, json.loads(r.stdout)


def main():
    passed, failed = 0, 0

    def check(name, cond, detail=""):
        nonlocal passed, failed
        if cond:
            passed += 1
            print("ok   %s" % name)
        else:
            failed += 1
            print("FAIL %s %s" % (name, detail))

    servers = []
    try:
        srv, port = start("valid")
        servers.append(srv)
        base = "http://127.0.0.1:%d" % port
        rc, out = client("--seed-url", base + "/cloud-init/",
                         "--header", "X-Forwarded-For: 1.2.3.4")
        check("valid seed -> exit 0", rc == 0 and out["ok"], out["errors"])
        check("meta-data parsed", out["metadata"].get("instance-id") == "i-1a2b3c4d")
        vparts = out["vendordata_parts"]
        check("vendor-data includes followed", [p["source"] for p in vparts] ==
              [base + "/compute.yaml", base + "/slurm.yaml"], [p["source"] for p in vparts])
        check("jinja part rendered", vparts and vparts[0].get("config", {}).get("users", [{}])[0]
              .get("ssh_authorized_keys") == ["ssh-ed25519 AAAA... root@head"])
        check("merge_how append", out["vendordata_merged"].get("packages") == ["slurmd"])
        rc, out = client("--seed-url", base + "/cloud-init")
        check("no trailing slash -> cloudinitmeta-data, exit 2",
              rc == 2 and out["fetches"][0]["url"] == base + "/cloud-initmeta-data",
              out["fetches"][:1])
        rc, out = client("--seed-url", base + "/")
        check("root-form seed -> exit 0", rc == 0, out["errors"])

        for variant, want in (("invalid", 1), ("bad-metadata", 2), ("missing-include", 2)):
            srv, port = start(variant)
            servers.append(srv)
            rc, out = client("--seed-url", "http://127.0.0.1:%d/cloud-init/" % port)
            check("%s -> exit %d" % (variant, want), rc == want, (rc, out["errors"]))
            if variant == "invalid":
                errs = [e for p in out["vendordata_parts"] for e in p["schema_errors"]]
                check("runcmd: 5 reported", errs == [{"path": "runcmd",
                                                     "message": "5 is not of type 'array'"}],
                      errs)
    finally:
        for s in servers:
            s.terminate()
            s.wait(timeout=10)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
