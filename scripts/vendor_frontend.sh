#!/usr/bin/env bash
# Vendor the portal's third-party front-end files into static/vendor/.
#
#   static/vendor/gcds/        GC Design System web components (Stencil lazy build)
#   static/vendor/gcds-fonts/  GC Design System fonts (Lato, Noto Sans, Noto Sans Mono, icons)
#   static/vendor/jquery-ui/   jQuery UI (used by django-modeltranslation's tabbed admin)
#   static/vendor/VERSIONS.txt what was vendored, from which tarball, under which licence
#
# The portal serves these files itself (whitenoise + ManifestStaticFilesStorage):
# no CDN, no run-time download. This script therefore patches the CSS so that
# every url()/@import is a relative path to a vendored file, and refuses to
# install a tree that still references a remote host.
#
# To update: change the pinned versions below, run this script, review
# `git diff --stat static/vendor`, check a page in a browser, then commit.
# Re-running with the same versions reproduces the same tree (idempotent).
#
# Needs: bash, npm (registry access), tar, python3.
# Only `npm pack` + tar extraction is used: `npm install @gcds-core/components`
# would pull Storybook (~127 MB) as runtime dependencies.

set -euo pipefail

# ---------------------------------------------------------------- versions ---
GCDS_COMPONENTS_VERSION="1.3.1"
GCDS_FONTS_VERSION="1.1.1"
JQUERY_UI_VERSION="1.14.2"   # newest 1.14.x on npm when vendored

# Remote run-time requests that exist in the GCDS JavaScript and that we accept
# knowingly (we do not patch upstream JS logic). Format: "component|URL prefix".
# Any OTHER remote request found in the vendored JS makes this script fail.
KNOWN_RUNTIME_FETCHES=(
  # <gcds-topic-menu> fetches the Canada.ca theme menu when it loads and falls
  # back to a built-in copy if the fetch fails. Only pages that use it are affected.
  "gcds-topic-menu|https://www.canada.ca/content/dam/canada/sitemenu/sitemenu-v2-"
)

# ------------------------------------------------------------------- paths ---
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
VENDOR_DIR="$REPO_ROOT/static/vendor"

log() { printf '[vendor] %s\n' "$*"; }
die() { printf '[vendor] ERROR: %s\n' "$*" >&2; exit 1; }

for tool in npm tar python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but not found in PATH"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor-frontend.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/stage"          # the new static/vendor tree is built here first
mkdir -p "$STAGE"
: >"$WORK/versions.tsv"      # name<TAB>version<TAB>licence<TAB>integrity

# pack SPEC DIR: `npm pack` SPEC into $WORK/DIR and extract it to $WORK/DIR/package
pack() {
  local spec="$1" dir="$WORK/$2"
  mkdir -p "$dir"
  log "npm pack $spec"
  if ! (cd "$dir" && npm pack --json --ignore-scripts "$spec" >pack.json 2>npm.log); then
    cat "$dir/npm.log" >&2
    die "npm pack $spec failed"
  fi
  python3 - "$dir" "$spec" "$WORK/versions.tsv" <<'PY'
import json, os, sys, tarfile
d, spec, tsv = sys.argv[1:4]
info = json.load(open(os.path.join(d, "pack.json")))[0]
tgz = os.path.join(d, info["filename"])
with tarfile.open(tgz) as tf:
    for m in tf.getmembers():                       # refuse odd tarball entries
        if not m.name.startswith("package/") or ".." in m.name.split("/") or not (m.isfile() or m.isdir()):
            sys.exit(f"unexpected tarball entry {m.name!r} in {spec}")
    try:
        tf.extractall(d, filter="data")
    except TypeError:                               # Python without extraction filters
        tf.extractall(d)
pkg = json.load(open(os.path.join(d, "package", "package.json")))
want_name, want_version = spec.rsplit("@", 1)
if (pkg["name"], pkg["version"]) != (want_name, want_version):
    sys.exit(f"asked for {spec}, got {pkg['name']}@{pkg['version']}")
with open(tsv, "a") as f:
    f.write("\t".join([pkg["name"], pkg["version"], pkg.get("license", "UNKNOWN"), info["integrity"]]) + "\n")
PY
}

pack "@gcds-core/components@$GCDS_COMPONENTS_VERSION" components
pack "@gcds-core/fonts@$GCDS_FONTS_VERSION" fonts
pack "jquery-ui@$JQUERY_UI_VERSION" jquery-ui

# ------------------------------------------------------ 1. GCDS components ---
# dist/gcds/ is Stencil's browser build: gcds.css, gcds.esm.js (entry), p-*.js
# shared chunks and p-*.entry.js lazy-loaded component bundles. Copy all of it
# (future versions may add chunks or an assets/ folder); drop only empty files
# (index.esm.js is a 0-byte stub no browser loads).
SRC="$WORK/components/package/dist/gcds"
[[ -f "$SRC/gcds.esm.js" && -f "$SRC/gcds.css" ]] || die "unexpected layout: $SRC/gcds.{esm.js,css} missing"
mkdir -p "$STAGE/gcds"
cp -R "$SRC/." "$STAGE/gcds/"
find "$STAGE/gcds" -type f -empty -delete
find "$STAGE/gcds" -name '*.map' -delete

# ----------------------------------------------------------- 2. GCDS fonts ---
SRC="$WORK/fonts/package/fonts"
[[ -d "$SRC/lato" && -d "$SRC/icons" ]] || die "unexpected layout: $SRC"
mkdir -p "$STAGE/gcds-fonts"
for sub in "$SRC"/*/; do
  sub="$(basename "$sub")"
  mkdir -p "$STAGE/gcds-fonts/$sub"
  # font files, their CSS and their licence (OFL-1.1 requires it to travel with the fonts)
  find "$SRC/$sub" -maxdepth 1 -type f \
    \( -name '*.woff2' -o -name '*.woff' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \
       -o -name '*.css' -o -name 'LICENSE*' \) -exec cp {} "$STAGE/gcds-fonts/$sub/" \;
done

# ------------------------------------------------------------ 3. jQuery UI ---
SRC="$WORK/jquery-ui/package"
mkdir -p "$STAGE/jquery-ui/images"
cp "$SRC/dist/jquery-ui.min.js" "$STAGE/jquery-ui/"
cp "$SRC/dist/themes/base/jquery-ui.min.css" "$STAGE/jquery-ui/"   # all widgets + base theme
cp "$SRC/dist/themes/base/images/"*.png "$STAGE/jquery-ui/images/"
cp "$SRC/LICENSE.txt" "$STAGE/jquery-ui/"

# ---------------------------------------------------------- 4. patch CSS -----
log "patching CSS"
python3 - "$STAGE" "$GCDS_FONTS_VERSION" <<'PY'
import os, re, sys
stage, fonts_version = sys.argv[1:3]

def rw(path, fn):
    with open(path, encoding="utf-8") as f:
        old = f.read()
    new = fn(old)
    if new != old:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
        print(f"[vendor]   patched {os.path.relpath(path, stage)}")

# gcds.css
#  - drop the Google Fonts @import (the fonts come from gcds-fonts/ instead)
#  - point the icon font at the vendored copy: the GC CDN path
#    .../@gcds-core/fonts@X/<path> maps to the package's fonts/<path>,
#    i.e. ../gcds-fonts/<path> relative to gcds/gcds.css
# (the Google Fonts URL itself contains ";", so match the quoted URL as a whole)
REMOTE_URL = r"""(?:"\s*(?:https?:)?//[^"]*"|'\s*(?:https?:)?//[^']*')"""
remote_import = re.compile(
    r"@import\s+(?:url\(\s*(?:" + REMOTE_URL + r"""|(?:https?:)?//[^\s"')]*)\s*\)|""" + REMOTE_URL + r")[^;{}]*;\s*",
    re.I)
gc_cdn = re.compile(
    r"""url\(\s*(["']?)https?://cdn\.design-system\.canada\.ca/@gcds-core/fonts@([^/]+)/([^"')]+)\1\s*\)""")

def patch_gcds(css):
    css = remote_import.sub("", css)
    def repl(m):
        if m.group(2) != fonts_version:
            print(f"[vendor]   WARNING: gcds.css was built against @gcds-core/fonts@{m.group(2)}, "
                  f"vendoring {fonts_version}", file=sys.stderr)
        return f'url("../gcds-fonts/{m.group(3)}")'
    return gc_cdn.sub(repl, css)

rw(os.path.join(stage, "gcds", "gcds.css"), patch_gcds)

# gcds-fonts/*/*.css: remove the "path/to/file/" and "<path-to-file>/" placeholders
placeholder = re.compile(r"""url\(\s*(["']?)\s*(?:<path-to-file>|path/to/file)/""")
# ...and the upstream "Replace path/to/file with the correct path" comment, now done
placeholder_note = re.compile(r"""/\*\s*Replace (?:<path-to-file>|path/to/file) with the correct path.*?\*/\s*""", re.S)
fonts_dir = os.path.join(stage, "gcds-fonts")
per_family = {}
for sub in sorted(os.listdir(fonts_dir)):
    d = os.path.join(fonts_dir, sub)
    if not os.path.isdir(d):
        continue
    for name in sorted(os.listdir(d)):
        if name.endswith(".css"):
            p = os.path.join(d, name)
            rw(p, lambda css: placeholder_note.sub("", placeholder.sub(lambda m: f"url({m.group(1)}", css)))
            per_family[sub] = p

# gcds-fonts/gcds-fonts.css: one stylesheet with the text fonts (Lato headings,
# Noto Sans body, Noto Sans Mono code) so templates need a single <link>.
# The icon font is left out on purpose: gcds.css declares it already
# (icons/gcds-icons.css stays available for the .gcds-icon-* helper classes).
relurl = re.compile(r"""url\(\s*(["']?)(?!data:|[a-z]+:|/|#)([^"')]+)\1\s*\)""", re.I)
parts = [f"/* GC Design System fonts (@gcds-core/fonts@{fonts_version}), vendored by "
         "scripts/vendor_frontend.sh.\n   Licence: SIL OFL 1.1, see LICENSE.txt in each sub-folder. */\n"]
for sub in ("lato", "noto-sans", "noto-sans-mono"):
    if sub not in per_family:
        sys.exit(f"gcds-fonts: {sub}/ CSS missing")
    with open(per_family[sub], encoding="utf-8") as f:
        css = f.read()
    css = relurl.sub(lambda m: f'url({m.group(1)}{sub}/{m.group(2)}{m.group(1)})', css)
    parts.append(f"\n/* ---- {sub}/{os.path.basename(per_family[sub])} ---- */\n{css.strip()}\n")
with open(os.path.join(fonts_dir, "gcds-fonts.css"), "w", encoding="utf-8") as f:
    f.write("".join(parts))
print("[vendor]   wrote gcds-fonts/gcds-fonts.css")
PY

# ------------------------------------------------------------ 5. checks ------
log "checking the staged tree"
fail=0

# 5a. No remote URL in any url() or @import of any CSS file (grep, as promised).
if grep -rnoE --include='*.css' \
     "(url\(\s*[\"']?\s*(https?:)?//[^)]*\)|@import[^;]*(https?:)?//[^;]*)" "$STAGE"; then
  echo "[vendor] ERROR: remote url()/@import left in the CSS above" >&2
  fail=1
fi
if grep -rnoE --include='*.css' "url\([^)]*(path/to/file|<path-to-file>)[^)]*\)|fonts\.googleapis|fonts\.gstatic" "$STAGE"; then
  echo "[vendor] ERROR: unpatched placeholder or web-font service reference in the CSS above" >&2
  fail=1
fi

# 5b. Every relative url()/@import in CSS must resolve to a vendored file
#     (ManifestStaticFilesStorage fails collectstatic otherwise); sourceMappingURL
#     comments (which Django also rewrites) must point to existing files.
# 5c. JS: no remote request at run time except KNOWN_RUNTIME_FETCHES; every
#     relative import and every Stencil lazy bundle must exist.
python3 - "$STAGE" "${KNOWN_RUNTIME_FETCHES[@]}" <<'PY' || fail=1
import os, re, sys
stage, known = sys.argv[1], [k.split("|", 1) for k in sys.argv[2:]]
errors, warnings = [], []

def files(ext):
    for root, _, names in os.walk(stage):
        for n in sorted(names):
            if n.endswith(ext):
                yield os.path.join(root, n)

def rel(p):
    return os.path.relpath(p, stage)

def must_exist(src, target):
    path = os.path.normpath(os.path.join(os.path.dirname(src), target.split("#")[0].split("?")[0]))
    if not path.startswith(stage + os.sep) or not os.path.isfile(path):
        errors.append(f"{rel(src)}: {target!r} does not resolve to a vendored file")

css_url = re.compile(r"""url\(\s*(?P<q>["']?)\s*(?P<u>.*?)\s*(?P=q)\s*\)""")
css_import = re.compile(r"""@import\s*(?P<q>["'])(?P<u>.*?)(?P=q)""")
srcmap = re.compile(r"""[#@] sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$""", re.M)
def css_structure_errors(css):
    """Cheap well-formedness check, e.g. for a half-removed @import: braces
    balance, strings terminate, and at top level only at-rules end with ';'."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, depth, start, i = [], 0, 0, 0
    while i < len(css):
        c = css[i]
        if c in "\"'":
            j = i + 1
            while j < len(css) and css[j] != c:
                if css[j] == "\n":
                    return out + [f"unterminated string at offset {i}"]
                j += 2 if css[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return out + [f"unbalanced '}}' at offset {i}"]
            if depth == 0:
                start = i + 1
        elif c == ";" and depth == 0:
            stmt = css[start:i].strip()
            if not stmt.startswith("@"):
                out.append(f"stray top-level text {stmt[:60]!r}")
            start = i + 1
        i += 1
    return out + ([f"{depth} unclosed '{{'"] if depth else [])

for p in files(".css"):
    css = open(p, encoding="utf-8").read()
    errors.extend(f"{rel(p)}: malformed CSS: {e}" for e in css_structure_errors(css))
    for m in list(css_url.finditer(css)) + list(css_import.finditer(css)):
        u = m.group("u")
        if not u or u.startswith(("data:", "#")):
            continue
        if re.match(r"^([a-z][a-z0-9+.-]*:|//|/)", u, re.I):
            errors.append(f"{rel(p)}: non-relative url {u[:100]!r}")
        else:
            must_exist(p, u)
    for m in srcmap.finditer(css):
        must_exist(p, m.group(1))

REMOTE = r"""(?:https?:|wss?:)?//"""
Q = r"""\\?[`'"]"""
js_remote = [
    ("fetch()", re.compile(r"\bfetch\(\s*" + Q + REMOTE + r"[^`'\"]*")),
    ("dynamic import()", re.compile(r"\bimport\(\s*" + Q + REMOTE + r"[^`'\"]*")),
    ("static import", re.compile(r"\b(?:from|import)\s*" + Q + REMOTE + r"[^`'\"]*")),
    ("XMLHttpRequest", re.compile(r"\.open\(\s*" + Q + r"[A-Za-z]+" + Q + r"\s*,\s*" + Q + REMOTE + r"[^`'\"]*")),
    ("beacon/socket/worker", re.compile(r"\b(?:sendBeacon|WebSocket|EventSource|Worker|importScripts)\(\s*" + Q + REMOTE + r"[^`'\"]*")),
    ("src/srcset", re.compile(r"\b(?:src|srcset)\s*[:=]\s*" + Q + REMOTE + r"[^`'\"]*")),
    ("CSS url() in JS", re.compile(r"url\(\s*(?:" + Q + r")?\s*" + REMOTE + r"[^)]*")),
    ("CSS @import in JS", re.compile(r"@import\s+(?:url\(\s*)?(?:" + Q + r")?\s*" + REMOTE + r"[^;]*")),
]
js_rel_import = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"']+)\1""")
for p in files(".js"):
    js = open(p, encoding="utf-8").read()
    for kind, rx in js_remote:
        for m in rx.finditer(js):
            hit = m.group(0)
            owner = next((c for c, prefix in known if prefix in hit), None)
            msg = f"{rel(p)}: run-time {kind}: {hit[:140]}"
            (warnings if owner else errors).append(msg + (f"  [known: {owner}]" if owner else ""))
    for m in js_rel_import.finditer(js):
        must_exist(p, m.group(2))
    for m in srcmap.finditer(js):
        must_exist(p, m.group(1))

# Stencil lazy loader: gcds.esm.js lists bundle ids, loaded as ./<id>.entry.js
esm = os.path.join(stage, "gcds", "gcds.esm.js")
bundles = re.findall(r"""\[\s*"([A-Za-z0-9_-]+)"\s*,\s*\[\s*\[\s*\d+\s*,\s*"[a-z0-9]+-[a-z0-9-]+\"""", open(esm, encoding="utf-8").read())
if not bundles:
    errors.append("gcds/gcds.esm.js: no Stencil lazy bundle ids found (layout changed?)")
for b in bundles:
    must_exist(esm, f"./{b}.entry.js")

for w in warnings:
    print(f"[vendor]   NOTE (accepted): {w}")
for e in errors:
    print(f"[vendor] ERROR: {e}", file=sys.stderr)
print(f"[vendor]   {len(bundles)} lazy bundle(s) present; {len(errors)} error(s), {len(warnings)} accepted remote fetch(es)")
sys.exit(1 if errors else 0)
PY

[[ "$fail" -eq 0 ]] || die "checks failed; static/vendor left untouched"

# -------------------------------------------------------- 6. VERSIONS.txt ----
{
  echo "# Front-end files vendored by scripts/vendor_frontend.sh (npm pack; do not edit by hand)."
  echo "# package@version | licence | npm tarball integrity | vendored to"
  while IFS=$'\t' read -r name version license integrity; do
    case "$name" in
      @gcds-core/components) dest="gcds/ (dist/gcds/; tarball ships no LICENSE file, licence per package.json)" ;;
      @gcds-core/fonts)      dest="gcds-fonts/ (font files: SIL OFL 1.1, see */LICENSE.txt; package code MIT)" ;;
      jquery-ui)             dest="jquery-ui/ (dist/jquery-ui.min.js, dist/themes/base/; LICENSE.txt)" ;;
      *)                     dest="" ;;
    esac
    echo "$name@$version | $license | $integrity | $dest"
  done <"$WORK/versions.tsv"
  echo
  for known in "${KNOWN_RUNTIME_FETCHES[@]}"; do
    echo "Known run-time remote request: ${known%%|*} -> ${known#*|}..."
  done
} >"$STAGE/VERSIONS.txt"

# ------------------------------------------------------------- 7. install ----
find "$STAGE" -type d -exec chmod 755 {} +
find "$STAGE" -type f -exec chmod 644 {} +
mkdir -p "$VENDOR_DIR"
for d in gcds gcds-fonts jquery-ui; do
  rm -rf "${VENDOR_DIR:?}/$d"
  cp -R "$STAGE/$d" "$VENDOR_DIR/$d"
done
cp "$STAGE/VERSIONS.txt" "$VENDOR_DIR/VERSIONS.txt"

log "done: $(find "$VENDOR_DIR" -type f | wc -l) files, $(du -sh "$VENDOR_DIR" | cut -f1) in ${VENDOR_DIR#"$REPO_ROOT"/}"
cat "$VENDOR_DIR/VERSIONS.txt"
