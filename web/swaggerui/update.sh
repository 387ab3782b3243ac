#!/bin/sh
# update.sh fetches Swagger UI (npm's swagger-ui-dist) at exactly VERSION,
# checks it, and copies the files the dashboard serves into dist/, which
# the Go package embeds. Nothing is fetched at run time.
#
# Checks, in order:
#   1. the tarball's sha512 equals INTEGRITY below, which must also be what
#      the npm registry publishes for VERSION (dist.integrity);
#   2. every copied file's SHA-256 equals the line for it in SHA256SUMS.
#
# Usage (from anywhere; needs npm, tar, sha256sum, sha512sum, base64):
#   web/swaggerui/update.sh            fetch VERSION, verify, copy into dist/
#   web/swaggerui/update.sh --resum    the same, but write SHA256SUMS from the
#                                      verified tarball (only after changing
#                                      VERSION and INTEGRITY: review the diff)
#
# To move to another version: set VERSION, set INTEGRITY to the output of
#   npm view swagger-ui-dist@NEW dist.integrity
# run update.sh --resum, then go test ./web/swaggerui/ ./internal/server/ -run Dashboard
set -eu

VERSION=5.35.0
INTEGRITY=sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==
FILES="LICENSE NOTICE swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css oauth2-redirect.html oauth2-redirect.js favicon-16x16.png favicon-32x32.png"

here=$(cd "$(dirname "$0")" && pwd)
resum=no
case "${1-}" in
--resum) resum=yes ;;
"") ;;
*) echo "usage: $0 [--resum]" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

published=$(npm view "swagger-ui-dist@$VERSION" dist.integrity)
if [ "$published" != "$INTEGRITY" ]; then
	echo "update.sh: the registry publishes $published for swagger-ui-dist@$VERSION, not the pinned $INTEGRITY" >&2
	exit 1
fi
(cd "$work" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null)
tarball="$work/swagger-ui-dist-$VERSION.tgz"
got="sha512-$(sha512sum "$tarball" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
	echo "update.sh: the tarball's integrity is $got, not $INTEGRITY" >&2
	exit 1
fi
tar -xzf "$tarball" -C "$work"

if [ "$resum" = yes ]; then
	(cd "$work/package" && sha256sum $FILES) >"$here/SHA256SUMS"
fi
(cd "$work/package" && sha256sum --check --strict "$here/SHA256SUMS")

rm -rf "$here/dist"
mkdir "$here/dist"
for f in $FILES; do
	cp "$work/package/$f" "$here/dist/$f"
done
echo "$VERSION" >"$here/dist/VERSION"
echo "update.sh: swagger-ui-dist $VERSION checked and copied into $here/dist"
