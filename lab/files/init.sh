#!/bin/sh
# Entry point of a lab container: sets up the host's firewall with a default-deny
# inbound policy that still admits the management port (22/tcp, labelled so), then
# stays in the foreground. Usage: init.sh firewalld|ufw|iptables|endpoint
set -eu
role=${1:?usage: init.sh firewalld|ufw|iptables|endpoint}
mgmt=${LAB_MGMT_PORT:-22}

case "$role" in
  firewalld)
    # firewalld needs the system bus. The public zone rejects what it does not
    # allow; it keeps only the management service.
    mkdir -p /run/dbus
    dbus-daemon --system --fork
    firewall-offline-cmd --zone=public --remove-service-from-zone=dhcpv6-client >/dev/null
    firewall-offline-cmd --zone=public --remove-service-from-zone=ssh >/dev/null
    firewall-offline-cmd --zone=public --add-port="$mgmt/tcp" >/dev/null
    firewalld --nofork --nopid >/var/log/firewalld.console 2>&1 &
    i=0
    until firewall-cmd --state >/dev/null 2>&1; do
      i=$((i + 1)); [ "$i" -lt 120 ] || { echo "firewalld did not start" >&2; exit 1; }
      sleep 0.5
    done
    ;;
  ufw)
    ufw default deny incoming >/dev/null
    ufw default allow outgoing >/dev/null
    ufw allow "$mgmt/tcp" comment 'lab: management' >/dev/null
    ufw --force enable >/dev/null
    ;;
  iptables)
    iptables -P INPUT DROP
    iptables -A INPUT -i lo -j ACCEPT
    iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
    iptables -A INPUT -p tcp --dport "$mgmt" -m comment --comment "lab: management" -j ACCEPT
    mkdir -p /etc/iptables
    iptables-save > /etc/iptables/rules.v4
    ;;
  endpoint)
    # Stand-in for Webroot's update service: an HTTPS listener on 443 with a
    # throwaway self-signed certificate.
    mkdir -p /srv/tls
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$(hostname)" \
      -keyout /srv/tls/key.pem -out /srv/tls/cert.pem >/dev/null 2>&1
    python3 - <<'PY' &
import http.server, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("/srv/tls/cert.pem", "/srv/tls/key.pem")
srv = http.server.ThreadingHTTPServer(("0.0.0.0", 443), http.server.SimpleHTTPRequestHandler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
PY
    ;;
  *) echo "unknown role $role" >&2; exit 2 ;;
esac
touch /run/lab-ready
exec sleep infinity
