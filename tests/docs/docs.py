#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks of the API documentation that `make docs` writes.

  docs.py HTML_DIR README.md Kconfig [--screenshot OUT.png]

- the front page (index.html) is the README: its title and every one of its
  section headings are there, with text under them;
- the port contract (port.h) has its page, with the port functions;
- shmbox_recv() documents its parameters;
- the Kconfig reference page lists every symbol kconfiglib finds in Kconfig,
  and no other;
- with --screenshot: Debian's chromium, headless, renders the front page to
  a PNG that is not blank (many distinct colours, dark text on a light page).
"""
import argparse
import html
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

ap = argparse.ArgumentParser()
ap.add_argument("html_dir")
ap.add_argument("readme")
ap.add_argument("kconfig")
ap.add_argument("--screenshot")
args = ap.parse_args()
failures = []


def check(cond, what, detail=""):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        if detail:
            print("     " + str(detail).replace("\n", "\n     "))
        failures.append(what)


def text_of(path):
    raw = open(path, encoding="utf-8").read()
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def plain(md):
    """A Markdown heading as the HTML shows it: no backticks, no anchors."""
    md = re.sub(r"\{#[^}]*\}", "", md)
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return re.sub(r"\s+", " ", md.replace("`", "").replace("**", "")).strip()


index = os.path.join(args.html_dir, "index.html")
front = text_of(index) if os.path.isfile(index) else ""
headings, in_code = [], False
for line in open(args.readme, encoding="utf-8"):
    if line.startswith("```"):
        in_code = not in_code
    elif not in_code and re.match(r"#{1,3} ", line):
        headings.append(plain(line.lstrip("#")))
check(headings != [], "the README has headings")
missing = [h for h in headings if h not in front]
check(front != "" and not missing, "the front page is the README: every heading of it is there", missing)
check(len(front) > 5000, "the front page has content (%d characters of text)" % len(front))

port = os.path.join(args.html_dir, "port_8h.html")
port_text = text_of(port) if os.path.isfile(port) else ""
check(all(f in port_text for f in ("shmbox_port_region_create", "shmbox_port_region_open", "shmbox_port_wait",
                                   "shmbox_port_wake")),
      "the port contract (port.h) is documented")

api = os.path.join(args.html_dir, "shmbox_8h.html")
api_text = text_of(api) if os.path.isfile(api) else ""
# the detailed entry: from its title to the next one
m = re.search(r"shmbox_recv\(\) int shmbox_recv \((.*?)(\u25c6|$)", api_text)
params = m.group(1).split("Parameters", 1)[1] if m and "Parameters" in m.group(1) else ""
check(all(p in params for p in ("sb ", "mbox ", "buf ", "cap ", "timeout_ms ")),
      "shmbox_recv() documents its parameters", (m.group(1) if m else "no entry")[:400])

names = subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "..", "..", "tools",
                                                         "kconfig-doc.py"), args.kconfig, "--names"],
                       capture_output=True, text=True, check=True).stdout.split()
kpage = os.path.join(args.html_dir, "kconfig.html")
ktext = text_of(kpage) if os.path.isfile(kpage) else ""
documented = sorted(set(re.findall(r"\bCONFIG_[A-Z0-9_]+", ktext)) - {"CONFIG_"})
check(len(names) > 10 and sorted(names) == [n for n in documented if n in names]
      and all(("%s " % n) in ktext for n in names),
      "the Kconfig reference lists every symbol kconfiglib finds (%d)" % len(names),
      "missing %r" % sorted(set(names) - set(documented)))
check(set(documented) <= set(names) | {"CONFIG_SHMBOX_"}, "the Kconfig reference lists no other symbol",
      sorted(set(documented) - set(names)))
check("kconfig.html" in open(index, encoding="utf-8").read() or "kconfig.html" in
      open(os.path.join(args.html_dir, "pages.html"), encoding="utf-8").read(),
      "the Kconfig reference is linked from the docs")


def png_pixels(path):
    """(width, height, rows of RGB(A) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = hdr[:4]
    if depth != 8 or ctype not in (2, 6):
        raise ValueError("PNG type %d/%d not handled" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


if args.screenshot:
    with tempfile.TemporaryDirectory() as profile:
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--user-data-dir=" + profile, "--window-size=1280,1600", "--screenshot=" + os.path.abspath(args.screenshot),
               "file://" + os.path.abspath(index)]
        if os.path.exists(args.screenshot):
            os.remove(args.screenshot)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    ok = p.returncode == 0 and os.path.isfile(args.screenshot)
    check(ok, "chromium --headless wrote a screenshot of the front page", p.stderr[-1500:])
    if ok:
        w, h, bpp, rows = png_pixels(args.screenshot)
        colours, dark, light = set(), 0, 0
        for line in rows[::4]:
            for x in range(0, w * bpp, bpp * 2):
                px = tuple(line[x:x + 3])
                colours.add(px)
                s = sum(px)
                dark += s < 200
                light += s > 600
        total = len(rows[::4]) * len(range(0, w * bpp, bpp * 2))
        check(len(colours) > 20 and dark > total // 200 and light > total // 2,
              "the screenshot (%dx%d) is not blank: %d colours, %.1f%% dark (text), %.1f%% light" % (
                  w, h, len(colours), 100.0 * dark / total, 100.0 * light / total))

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
