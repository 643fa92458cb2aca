#!/usr/bin/python3
"""Fetch and parse a NoCloud (nocloud-net) seed with Debian's real cloud-init code.

Run with Debian's interpreter (cloud-init lives in /usr/lib/python3/dist-packages):

    /usr/bin/python3 tests/cloudinit/seed_client.py \
        --seed-url http://127.0.0.1:PORT/cloud-init/ [--header 'X-Forwarded-For: 1.2.3.4']

What it does, in the order a node does it:
  1. DataSourceNoCloudNet.get_data() with the kernel command line
     `ds=nocloud-net;s=<seed-url>` (or the datasource config `seedfrom`, --via config):
     cloud-init's util.read_seeded() joins the URLs (plain string concatenation in 22.4:
     base + "meta-data"), fetches meta-data / user-data / vendor-data and parses
     meta-data with util.load_yaml(); the datasource then writes instance-data.json
     (used for Jinja templates) -- into a private temp dir, never /var/lib/cloud or /run.
  2. user-data and vendor-data go through cloudinit.user_data.UserDataProcessor
     (ds.get_userdata()/get_vendordata()), which follows #include URLs.
  3. Every part: `## template: jinja` parts are rendered with cloud-init's Jinja handler
     against that instance-data; every #cloud-config part is validated against
     cloud-init's JSON schema (validate_cloudconfig_schema(strict=True)) and merged
     with cloud-init's CloudConfigPartHandler (honours merge_how).

Prints ONE JSON object on stdout. Exit 0 = fetched, parsed and valid; 1 = schema (or
Jinja render) errors in some cloud-config part; 2 = fetch/parse errors (see "errors").

Isolation: only loopback URLs are fetched (others are refused, see --allow-remote),
proxy variables are ignored, every fetch has a timeout and a capped retry count, the
whole run has a deadline, and the host's kernel command line / DMI are not consulted.
"""

import argparse
import ipaddress
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
from urllib.parse import urlparse

# Debian's cloud-init (and the library versions it was built against) belong to the
# system interpreter; a pyenv/venv python3 on PATH is replaced by /usr/bin/python3.
if __name__ == "__main__" and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
        and os.path.exists("/usr/bin/python3") and not os.environ.get("SEED_CLIENT_NO_REEXEC"):
    os.environ["SEED_CLIENT_NO_REEXEC"] = "1"
    os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__)] + sys.argv[1:])
if "/usr/lib/python3/dist-packages" not in sys.path:
    sys.path.append("/usr/lib/python3/dist-packages")

for _var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
             "ALL_PROXY", "no_proxy", "NO_PROXY", "DEBUG_PROC_CMDLINE"):
    os.environ.pop(_var, None)

try:
    from cloudinit import distros, dmi, handlers, helpers, safeyaml
    from cloudinit import url_helper, user_data, util
    from cloudinit import version as ci_version
    from cloudinit.config import schema as ci_schema
    from cloudinit.handlers import cloud_config as cc_mod
    from cloudinit.handlers import jinja_template
    from cloudinit.settings import PER_ALWAYS
    from cloudinit.sources import DataSourceNoCloud
    from cloudinit.templater import MISSING_JINJA_PREFIX
except ImportError as _e:  # pragma: no cover - environment problem
    print(json.dumps({"ok": False, "metadata": None, "userdata_parts": [],
                      "vendordata_parts": [],
                      "errors": ["cannot import Debian cloud-init (apt-get install "
                                 "cloud-init; run with /usr/bin/python3): %s" % _e]}))
    sys.exit(2)


class Deadline(BaseException):  # escapes cloud-init's broad `except Exception`
    pass


class State:
    """Everything the patched cloud-init hooks record."""

    def __init__(self, args):
        self.args = args
        self.headers = {}
        self.fetches = []           # one entry per HTTP attempt sequence
        self.raw = {}               # url -> bytes of successful fetches
        self.seeded = None          # (md, ud, vd) as util.read_seeded returned them
        self.pending_source = None  # include URL whose content is converted next
        self.warnings = []          # cloud-init log records >= WARNING


class _CollectHandler(logging.Handler):
    def __init__(self, state):
        super().__init__(logging.WARNING)
        self.state = state

    def emit(self, record):
        try:
            self.state.warnings.append("%s: %s" % (record.levelname, record.getMessage()))
        except Exception:  # pragma: no cover
            pass


def _is_loopback(url):
    host = (urlparse(url).hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def install_hooks(state, seed_url):
    """Patch only I/O edges of cloud-init: headers/timeouts on HTTP, host isolation."""
    args = state.args
    real_readurl = url_helper.readurl

    def readurl(url, *a, **kw):
        kw = dict(kw)
        # bounded time: cloud-init uses timeout=None/retries=10 for the seed and
        # timeout=5/retries=10 for includes; keep its call, cap the numbers.
        t = kw.get("timeout")
        kw["timeout"] = args.timeout if t is None else min(float(t), args.timeout)
        kw["retries"] = min(int(kw.get("retries") or 0), args.retries)
        kw["sec_between"] = args.retry_delay
        kw["infinite"] = False
        hdrs = dict(kw.get("headers") or {})
        hdrs.update(state.headers)
        kw["headers"] = hdrs
        entry = {"url": url, "status": None, "bytes": None, "error": None}
        state.fetches.append(entry)
        if not args.allow_remote and not _is_loopback(url):
            entry["error"] = "refused: not a loopback URL (use --allow-remote)"
            raise url_helper.UrlError(ConnectionRefusedError(entry["error"]),
                                      url=url)
        try:
            resp = real_readurl(url, *a, **kw)
        except url_helper.UrlError as e:
            entry["status"] = e.code
            entry["error"] = str(e)
            raise
        entry["status"] = resp.code
        entry["bytes"] = len(resp.contents)
        state.raw[url] = resp.contents
        return resp

    url_helper.readurl = readurl  # read_file_or_url() calls the module global

    real_read_seeded = util.read_seeded

    def read_seeded(*a, **kw):
        result = real_read_seeded(*a, **kw)
        state.seeded = result
        return result

    util.read_seeded = read_seeded

    # Include tracking, so each part can say which URL it came from.
    real_rfou = user_data.read_file_or_url

    def rfou(url, *a, **kw):
        state.pending_source = url
        return real_rfou(url, *a, **kw)

    user_data.read_file_or_url = rfou
    real_convert = user_data.convert_string

    def convert_string(raw, *a, **kw):
        msg = real_convert(raw, *a, **kw)
        src = state.pending_source
        state.pending_source = None
        if src:
            for p in msg.walk():
                if "X-Seed-Client-Source" not in p:
                    p["X-Seed-Client-Source"] = src
        return msg

    user_data.convert_string = convert_string

    # The host's kernel command line and DMI must not influence the result: the node
    # command line is simulated (ds=nocloud-net;s=URL), DMI is "absent".
    if args.via == "cmdline":
        cmdline = "root=/dev/nfs ro ds=nocloud-net;s=%s" % seed_url
    else:
        cmdline = "root=/dev/nfs ro"
    util.get_cmdline = lambda: cmdline
    dmi.read_dmi_data = lambda key: None


def make_paths(tmp):
    return helpers.Paths({
        "cloud_dir": os.path.join(tmp, "var-lib-cloud"),
        "run_dir": os.path.join(tmp, "run-cloud-init"),
        "docs_dir": os.path.join(tmp, "docs"),
        "templates_dir": "/etc/cloud/templates",
    })


def _text(b):
    if b is None:
        return None
    if isinstance(b, bytes):
        return b.decode("utf-8", errors="replace")
    return str(b)


def _problems(items):
    return [{"path": p.path, "message": p.message} for p in (items or [])]


def validate_cloud_config(text, schema):
    """Return (config or None, schema_errors, deprecations, empty)."""
    try:
        cfg = safeyaml.load(text)
    except Exception as e:  # yaml.YAMLError
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        path = "format-l%d.c%d" % (mark.line + 1, mark.column + 1) if mark else "format"
        return None, [{"path": path, "message": "not valid YAML: %s" % e}], [], False
    if cfg is None:
        # A bare "#cloud-config" is valid; cloud-init merges nothing from it.
        return None, [], [], True
    if not isinstance(cfg, dict):
        return None, [{"path": "", "message": "cloud-config is not a YAML dict (%s)"
                       % type(cfg).__name__}], [], False
    try:
        ci_schema.validate_cloudconfig_schema(cfg, schema=schema, strict=True,
                                              log_details=False)
    except ci_schema.SchemaValidationError as e:
        return cfg, _problems(e.schema_errors), _problems(e.schema_deprecations), False
    return cfg, [], [], False


def process_parts(msg, paths, state, schema, errors, doc, cc_path):
    """Walk a processed MIME message the way cloud-init's handlers see it."""
    parts = []
    cc_handler = cc_mod.CloudConfigPartHandler(paths, cloud_config_path=cc_path)
    cc_handler.handle_part(None, handlers.CONTENT_START, None, None, None, None)
    jinja_json = paths.get_runpath("instance_data_sensitive")
    merged_any = False
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            continue
        ctype = part.get_content_type()
        filename = part.get_filename() or ""
        payload = _text(util.fully_decoded_payload(part))
        entry = {"content_type": ctype, "filename": filename,
                 "source": part.get("X-Seed-Client-Source") or doc,
                 "payload": payload, "schema_errors": [], "schema_deprecations": []}
        effective_type, effective = ctype, payload
        if ctype == "text/jinja2":
            try:
                rendered = jinja_template.render_jinja_payload_from_file(
                    payload, filename, jinja_json)
            except Exception as e:
                rendered = None
                entry["render_errors"] = ["%s: %s" % (type(e).__name__, e)]
            if rendered is None:
                entry.setdefault("render_errors", []).append(
                    "cloud-init could not render this Jinja template "
                    "(a node ignores the part); see warnings")
            else:
                missing = sorted({(w.split() or [""])[0]
                                  for w in rendered.split(MISSING_JINJA_PREFIX)[1:]})
                if missing:
                    entry["render_errors"] = ["undefined Jinja variable: %s" % m
                                              for m in missing]
                effective = rendered
                effective_type = handlers.type_from_starts_with(rendered) or \
                    "text/x-not-multipart"
                entry["rendered_content_type"] = effective_type
                entry["rendered_payload"] = rendered
        if effective_type == "text/cloud-config":
            cfg, errs, deps, empty = validate_cloud_config(effective, schema)
            entry["schema_errors"] = errs
            entry["schema_deprecations"] = deps
            entry["empty"] = empty
            entry["config"] = cfg
            if not errs:  # empty ones too: a node logs "empty cloud config" for them
                cc_handler.handle_part(None, effective_type, filename, effective,
                                       PER_ALWAYS, part)
                merged_any = True
        elif effective_type == "text/x-not-multipart" and (effective or "").strip():
            errors.append("%s: part %s from %s has no content type cloud-init recognises "
                          "(a node ignores it): %r" % (doc, filename, entry["source"],
                                                      (effective or "")[:80]))
        parts.append(entry)
    merged = cc_handler.cloud_buf if merged_any else {}
    cc_handler.handle_part(None, handlers.CONTENT_END, None, None, None, None)
    return parts, merged


def new_output(args, state):
    return {"ok": False, "exit_code": None, "cloud_init_version": ci_version.version_string(),
            "seed_url": args.seed_url, "metadata": None, "instance_id": None,
            "datasource_metadata": None, "userdata_parts": [], "vendordata_parts": [],
            "userdata_merged": None, "vendordata_merged": None, "errors": [],
            "warnings": state.warnings, "fetches": state.fetches}


def run(args, state, tmp, out):
    errors = out["errors"]
    base = args.seed_url
    if "%s" not in base and not base.endswith("/"):
        state.warnings.append(
            "seed URL has no trailing '/': cloud-init %s appends 'meta-data' directly "
            "(%smeta-data)" % (ci_version.version_string(), base))

    paths = make_paths(tmp)
    distro = distros.fetch("debian")("debian", {}, paths)
    sys_cfg = {"datasource": {"NoCloud": {"fs_label": None}}}
    if args.via == "config":
        sys_cfg["datasource"]["NoCloud"]["seedfrom"] = base
    ds = DataSourceNoCloud.DataSourceNoCloudNet(sys_cfg, distro, paths)
    paths.datasource = ds

    try:
        found = ds.get_data()
    except url_helper.UrlError as e:
        errors.append("fetch failed: %s (HTTP %s)" % (e, e.code))
        return out
    except Exception as e:
        errors.append("datasource failed: %s: %s" % (type(e).__name__, e))
        return out
    if not found:
        errors.append("NoCloudNet did not claim the seed %r (only http:// and https:// "
                      "seeds are supported)" % base)
        return out

    md, ud, vd = state.seeded
    out["metadata"] = md
    out["instance_id"] = ds.get_instance_id()
    out["datasource_metadata"] = ds.metadata

    # read_seeded() -> load_yaml() swallows YAML errors (returns {}), and a node then
    # silently runs with instance-id "nocloud". Re-parse the raw body to report why.
    md_url = next((f["url"] for f in state.fetches
                   if f["url"].endswith("meta-data") and f["status"] == 200), None)
    raw_md = state.raw.get(md_url) if md_url else None
    try:
        direct = safeyaml.load(_text(raw_md) or "")
    except Exception as e:
        direct = None
        errors.append("meta-data is not valid YAML: %s" % e)
    else:
        if not isinstance(direct, dict):
            errors.append("meta-data is not a YAML mapping (got %s)" % type(direct).__name__)
    if isinstance(md, dict) and not md.get("instance-id"):
        errors.append("meta-data has no instance-id (a node would fall back to 'nocloud')")

    if vd is None:
        errors.append("vendor-data could not be fetched (a node continues without it); "
                      "see fetches")

    schema = ci_schema.get_schema()
    for doc, getter, key, cc_path in (
            ("user-data", ds.get_userdata, "userdata", "cloud_config"),
            ("vendor-data", ds.get_vendordata, "vendordata", "vendor_cloud_config")):
        state.pending_source = None
        try:
            msg = getter()
        except Exception as e:  # include failure: features.ERROR_ON_USER_DATA_FAILURE
            errors.append("%s processing failed: %s" % (doc, e))
            continue
        parts, merged = process_parts(msg, paths, state, schema, errors, doc, cc_path)
        out[key + "_parts"] = parts
        out[key + "_merged"] = merged
    if args.network_config:
        read_network_config(base, out)
    return out


def read_network_config(base, out):
    """Fetch <seed>network-config (NoCloud's fourth file; 22.4 reads it only from local seeds, so fetch it
    the same way) and hand it to cloud-init's own parser (strict) and ENI renderer, as a node would apply it."""
    from cloudinit.net import eni, network_state
    errors = out["errors"]
    url = base % "network-config" if "%s" in base else base + "network-config"
    try:
        resp = url_helper.readurl(url, timeout=None, retries=0)
    except url_helper.UrlError as e:
        errors.append("network-config fetch failed: %s (HTTP %s)" % (e, e.code))
        return
    try:
        cfg = safeyaml.load(_text(resp.contents))
    except Exception as e:
        errors.append("network-config is not valid YAML: %s" % e)
        return
    out["network_config"] = cfg
    if isinstance(cfg, dict) and "network" in cfg:
        cfg = cfg["network"]
    try:
        state = network_state.parse_net_config_data(cfg, skip_broken=False)
        rendered = eni.Renderer()._render_interfaces(state)
    except Exception as e:
        errors.append("cloud-init could not parse network-config: %s: %s" % (type(e).__name__, e))
        return
    out["network_interfaces"] = [
        {"name": i.get("name"), "mac_address": i.get("mac_address"), "mtu": i.get("mtu"),
         "subnets": [{k: v for k, v in sn.items() if k in ("type", "address", "prefix", "netmask", "gateway", "dns_nameservers", "dns_search", "routes")}
                     for sn in i.get("subnets") or []]}
        for i in state.iter_interfaces()]
    out["network_routes"] = [dict(r) for r in state.iter_routes()]
    out["network_eni"] = rendered


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-url", required=True,
                    help="the s= value, e.g. http://127.0.0.1:PORT/cloud-init/")
    ap.add_argument("--header", action="append", default=[],
                    help="extra request header 'Name: value' (repeatable), sent on "
                         "every fetch including #include URLs")
    ap.add_argument("--via", choices=("cmdline", "config"), default="cmdline",
                    help="seed given as kernel arg ds=nocloud-net;s=URL (default) or "
                         "as datasource config seedfrom")
    ap.add_argument("--timeout", type=float, default=5.0, help="per-request timeout s")
    ap.add_argument("--retries", type=int, default=0,
                    help="cap on cloud-init's retry count (node default 10)")
    ap.add_argument("--retry-delay", type=float, default=0.2)
    ap.add_argument("--deadline", type=int, default=60, help="whole-run limit s")
    ap.add_argument("--allow-remote", action="store_true",
                    help="allow non-loopback URLs (never in this workplace)")
    ap.add_argument("--network-config", action="store_true",
                    help="also fetch <seed>network-config and parse it with cloud-init's network_state")
    ap.add_argument("--keep-tmp", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="cloud-init DEBUG log to stderr")
    args = ap.parse_args(argv)

    state = State(args)
    for h in args.header:
        if ":" not in h:
            ap.error("--header must be 'Name: value'")
        k, v = h.split(":", 1)
        state.headers[k.strip()] = v.strip()

    ci_log = logging.getLogger("cloudinit")
    ci_log.setLevel(logging.DEBUG)
    ci_log.propagate = False
    ci_log.addHandler(_CollectHandler(state))
    if args.verbose:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(logging.DEBUG)
        ci_log.addHandler(sh)

    install_hooks(state, args.seed_url)

    def _alarm(signum, frame):
        raise Deadline("deadline of %ss exceeded" % args.deadline)

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(args.deadline)
    tmp = tempfile.mkdtemp(prefix="seed-client-")
    out = new_output(args, state)
    try:
        run(args, state, tmp, out)
    except Deadline as e:
        out["errors"].append(str(e))
    finally:
        signal.alarm(0)
        if args.keep_tmp:
            sys.stderr.write("temp dir kept: %s\n" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    part_problem = any(p.get("schema_errors") or p.get("render_errors")
                       for p in out.get("userdata_parts", []) + out.get("vendordata_parts", []))
    if out["errors"]:
        code = 2
    elif part_problem:
        code = 1
    else:
        code = 0
    out["ok"] = code == 0
    out["exit_code"] = code
    sys.stdout.write(json.dumps(out, indent=1, default=str) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
