# Stand-in for ansible-test's pip bootstrap script (get-pip-<version>.py), which it
# downloads from a host this project's machines cannot reach. scripts/sanity.sh puts it
# in ansible-test's cache. It bootstraps pip with ensurepip, then installs the
# requested packages from the configured package index.
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
extra = []
if os.path.exists("/etc/ssl/certs/ca-certificates.crt"):
    extra += ["--cert", "/etc/ssl/certs/ca-certificates.crt"]
if os.path.isdir("/opt/wheels"):
    extra += ["--find-links", "/opt/wheels"]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + extra + args))
