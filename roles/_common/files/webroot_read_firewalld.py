# Read-only: what firewalld holds of ours in one zone, over one D-Bus connection
# (one process instead of a firewall-cmd per query). Run by tasks/read_once.yml as
# `python3 - ZONE` with firewalld's own client library. Prints the sections that
# plugins/module_utils/backends.py read_firewalld parses.
import sys

from firewall.client import FirewallClient

fw = FirewallClient()
if not fw.connected:
    print("== error firewalld-stopped")
    sys.exit(0)
zone = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else fw.getDefaultZone()
settings = fw.config().getZoneByName(zone)
print("== zone %s" % zone)
print("== rich")
for rule in settings.getRichRules():
    print(rule)
print("== services")
print(" ".join(settings.getServices()))
for name in fw.getIPSets():
    if name.startswith("webroot-"):
        print("== rset %s" % name)
        for entry in fw.getEntries(name):
            print(entry)
