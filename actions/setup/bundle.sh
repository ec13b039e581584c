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

# tollgate loads libcurl on its first request (dlopen: agent/util/libcurl.h), and simdjson, where
# the build has it, on its first Lighthouse result (agent/util/libsimdjson.cpp), so ldd of the
# binary names neither; they and what they need are bundled too, found through --library-path below.
arch_tag=$(case $(uname -m) in x86_64) echo x86-64 ;; aarch64) echo AArch64 ;; *) uname -m ;; esac)
# awk reads to the end (no early exit): ldconfig writing into a closed pipe would end the script
# with SIGPIPE under pipefail.
installed() { /sbin/ldconfig -p | awk -v name="$1" -v tag="$arch_tag" '$1 == name && index($0, tag) && !found { found = $NF } END { print found }'; }
loaded=(libcurl.so.4)
# The soname the binary loads simdjson by (it is compiled in); none when simdjson is linked or absent.
simdjson=$(grep -ao 'libsimdjson\.so\.[0-9][0-9]*' "$binary" | sed -n 1p || true)
[[ -n $simdjson ]] && ! ldd "$binary" | grep "$simdjson" >/dev/null && loaded+=("$simdjson")
for name in "${loaded[@]}"; do
  [[ -n $(installed "$name") ]] || { echo "bundle.sh: $name ($arch_tag) is not installed" >&2; exit 1; }
done

# glibc's own libraries stay the system's: they must match its loader.
glibc='^(ld-linux.*|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl)\.so'
{ ldd "$binary"; for name in "${loaded[@]}"; do path=$(installed "$name"); echo "$name => $path (0)"; ldd "$path"; done; } |
  awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | sort -u |
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
# Each bundled library loaded on first use resolves every library it needs from the bundle or glibc.
for name in "${loaded[@]}"; do
  if "$interpreter" --library-path "$dest/lib" --list "$dest/lib/$name" | grep "not found" >/dev/null; then
    echo "bundle.sh: the bundled $name misses a library" >&2; exit 1
  fi
done
