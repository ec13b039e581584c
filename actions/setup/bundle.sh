#!/usr/bin/env bash
# Makes a relocatable tollgate: the built binary plus the shared libraries it needs beyond glibc,
# so it runs on a runner that has none of the build packages (a release archive, or the binary
# that actions/cache restores).
#   bundle.sh BINARY DEST
# DEST/bin/tollgate starts DEST/libexec/tollgate through the system's dynamic loader with
# DEST/lib first on the library path. The path applies to tollgate only: programs it starts (git)
# use the system's libraries as usual, which LD_LIBRARY_PATH would not guarantee.
set -euo pipefail

binary=${1:?usage: bundle.sh BINARY DEST}
dest=${2:?usage: bundle.sh BINARY DEST}
[[ -x $binary ]] || { echo "bundle.sh: $binary is not an executable" >&2; exit 1; }

interpreter=$(readelf -l "$binary" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
[[ -n $interpreter ]] || { echo "bundle.sh: $binary names no dynamic loader" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest/bin" "$dest/libexec" "$dest/lib"
cp "$binary" "$dest/libexec/tollgate"
if command -v strip >/dev/null; then strip --strip-debug "$dest/libexec/tollgate"; fi

# tollgate loads libcurl on its first request (dlopen: agent/util/libcurl.h), so ldd of the binary
# does not name it; it and what it needs are bundled too, and found through --library-path below.
arch_tag=$(case $(uname -m) in x86_64) echo x86-64 ;; aarch64) echo AArch64 ;; *) uname -m ;; esac)
libcurl=$(/sbin/ldconfig -p | awk -v tag="$arch_tag" '$1 == "libcurl.so.4" && index($0, tag) { print $NF; exit }')
[[ -n $libcurl ]] || { echo "bundle.sh: libcurl.so.4 ($arch_tag) is not installed" >&2; exit 1; }

# glibc's own libraries stay the system's: they must match its loader.
glibc='^(ld-linux.*|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl)\.so'
{ ldd "$binary"; echo "libcurl.so.4 => $libcurl (0)"; ldd "$libcurl"; } | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | sort -u |
  while read -r name path; do
    [[ $name =~ $glibc ]] && continue
    cp -L "$path" "$dest/lib/$name"
  done

cat >"$dest/bin/tollgate" <<WRAPPER
#!/bin/sh
# tollgate with its bundled libraries (made by actions/setup/bundle.sh).
here=\$(dirname "\$(readlink -f "\$0")")/..
exec $interpreter --library-path "\$here/lib" "\$here/libexec/tollgate" "\$@"
WRAPPER
chmod +x "$dest/bin/tollgate"
"$dest/bin/tollgate" --version >/dev/null
# The bundled libcurl resolves every library it needs from the bundle or glibc.
if "$interpreter" --library-path "$dest/lib" --list "$dest/lib/libcurl.so.4" | grep -q "not found"; then
  echo "bundle.sh: the bundled libcurl.so.4 misses a library" >&2; exit 1
fi
