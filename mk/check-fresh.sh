#!/bin/sh
# check-fresh.sh - make check-fresh: proves that a bare Debian 12 (debootstrap
# --variant=minbase bookworm) with nothing but `apt-get install make git`
# runs the first `make demo` and the first `make test` of a fresh clone.
# Needs root (debootstrap, chroot, mount), debootstrap and a Debian mirror.
# Clones the committed HEAD (not uncommitted changes).  The bootstrapped base
# and the downloaded packages are cached, so a rerun skips debootstrap and
# downloads nothing.  Mounts live in a private mount namespace (unshare), so
# they vanish with the run whatever happens to it.
#   FRESH_MIRROR  Debian mirror (default: http://deb.debian.org/debian)
#   FRESH_CACHE   cache of the base tarball and .debs (/var/cache/perfkit-fresh)
#   FRESH_ROOT    the chroot, made anew each run (/var/tmp/perfkit-fresh/root)
set -eu
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
CACHE=${FRESH_CACHE:-/var/cache/perfkit-fresh}
ROOT=${FRESH_ROOT:-/var/tmp/perfkit-fresh/root}
repo=$(git rev-parse --show-toplevel)
say() { echo "check-fresh: $*"; }

[ "$(id -u)" = 0 ] || { say "needs root (debootstrap, chroot, mount)"; exit 1; }
command -v debootstrap >/dev/null || { say "needs debootstrap (make fresh-deps)"; exit 1; }

mkdir -p "$CACHE/archives/partial"
base=$CACHE/bookworm-minbase.tar
t0=$(date +%s)
if [ ! -f "$base" ]; then
	say "debootstrap --variant=minbase bookworm from $MIRROR (cached in $base)"
	rm -rf "$CACHE/base.tmp"
	mkdir "$CACHE/base.tmp"
	debootstrap --variant=minbase bookworm "$CACHE/base.tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
		{ say "debootstrap failed, see $CACHE/debootstrap.log"; exit 1; }
	tar -C "$CACHE/base.tmp" -cf "$base.tmp" .
	mv "$base.tmp" "$base"
	rm -rf "$CACHE/base.tmp"
	say "base bootstrapped in $(( $(date +%s) - t0 )) s"
fi

# a fresh root from the cached base, with the repository as a git bundle
case $ROOT in /|/usr|/var|/tmp|'') say "refusing FRESH_ROOT=$ROOT"; exit 1 ;; esac
rm -rf "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$base"
git -C "$repo" bundle create "$ROOT/tmp/perfkit.bundle" HEAD 2>/dev/null
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
rev=$(git -C "$repo" rev-parse --short HEAD)
say "root ready in $ROOT ($(( $(date +%s) - t0 )) s); testing commit $rev"

# What a user does on a bare machine: the one prerequisite, clone, two commands.
cat >"$ROOT/tmp/steps.sh" <<'EOF'
set -eu
export DEBIAN_FRONTEND=noninteractive HOME=/root LC_ALL=C.UTF-8
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
step() { s=$(date +%s); echo "== $*"; "$@"; echo "== $* took $(( $(date +%s) - s )) s"; }
# apt's chatter goes to a log, shown only when it fails
quiet() { "$@" >/tmp/quiet.log 2>&1 || { cat /tmp/quiet.log; return 1; }; }
step quiet apt-get update
step quiet apt-get install -y --no-install-recommends make git
step git clone -q /tmp/perfkit.bundle /root/perfkit
cd /root/perfkit
step make demo
step make test
test -s out/report.html
EOF

unshare --mount --propagation private sh -eu -c '
	ROOT=$1 CACHE=$2
	mount -t proc proc "$ROOT/proc"
	mount --rbind /dev "$ROOT/dev"
	mount -t sysfs sysfs "$ROOT/sys"
	mount --bind "$CACHE/archives" "$ROOT/var/cache/apt/archives"
	chroot "$ROOT" sh /tmp/steps.sh
' check-fresh "$ROOT" "$CACHE" || { rc=$?; say "FAILED (exit $rc) after $(( $(date +%s) - t0 )) s; the root is left in $ROOT"; exit 1; }
say "ok: bare Debian 12 -> make demo -> make test in $(( $(date +%s) - t0 )) s (commit $rev)"
rm -rf "$ROOT"
