// A minimal `xl` for the sandbox: it keeps domains and their NICs as files and logs every call,
// so the bundle's create / network-attach / network-detach / destroy logic can run for real.
// (The lab has its own, fuller stand-in; this one only serves the renderer's tests.)
export const XL_STUB_DIR = '/var/lib/tvd-test-xl';

export const INSTALL_XL_STUB = `mkdir -p /usr/local/sbin ${XL_STUB_DIR}
cat >/usr/local/sbin/xl <<'XL'
#!/bin/sh
D=${XL_STUB_DIR}
echo "xl $*" >>"$D/calls"
case $1 in
  list) [ -e "$D/dom-$2" ] ;;
  create)
    name=$(sed -n 's/^name = "\\(.*\\)"$/\\1/p' "$2")
    : >"$D/dom-$name"
    sed -n "s/^vif = \\[ '\\(.*\\)' \\]$/\\1/p" "$2" | sed "s/', '/\\n/g" >"$D/nics-$name"
    ;;
  destroy) rm -f "$D/dom-$2" "$D/nics-$2" ;;
  network-list) [ -e "$D/dom-$2" ] && cat "$D/nics-$2" ;;
  network-attach) d=$2; shift 2; echo "$*" >>"$D/nics-$d" ;;
  network-detach) grep -v "mac=$3" "$D/nics-$2" >"$D/nics.tmp"; mv "$D/nics.tmp" "$D/nics-$2" ;;
  *) exit 1 ;;
esac
XL
chmod 0755 /usr/local/sbin/xl
`;
