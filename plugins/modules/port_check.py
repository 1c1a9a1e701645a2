#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: port_check
short_description: Test many TCP ports from the managed host at once
version_added: "0.1.0"
description:
  - Connects from the managed host (the source of the flow) to every target at once and
    classifies each one as V(open), V(refused), V(filtered) or V(unresolved).
  - V(open) means the connection was accepted. V(refused) means the target answered with a
    TCP reset (nothing listens there, or a firewall rejects with a TCP reset).
  - V(filtered) means there was no answer within O(timeout), or an ICMP unreachable or
    prohibited answer came back (EHOSTUNREACH, ENETUNREACH), or a local firewall rule refused
    the connection (EACCES, EPERM). On Linux an ICMP port unreachable (the default of
    C(iptables -j REJECT)), which the kernel reports like a reset, is recognised from the socket
    error queue and reported as V(filtered) too.
  - V(unresolved) means the host name does not resolve on the managed host.
  - Each target is compared with its expected state (O(targets[].expect), else O(expect)).
    V(reachable) accepts V(open) and V(refused) (the packets get through, whatever listens).
  - With O(targets[].tls=true) a TLS handshake follows the TCP connection. O(targets[].tls=true)
    targets whose port is V(open) but whose handshake fails are not ok, whatever their
    expectation; the reason is in RV(results[].tls_error).
  - All connects of one call are in flight at the same time (up to O(concurrency)), so the
    whole check takes about O(timeout) seconds however many targets there are.
  - This module never changes anything; it runs its checks in check mode too (they are
    read-only).
  - On Linux and other POSIX hosts a Python implementation runs, on Windows a PowerShell one;
    both take the same options and return the same values.
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  targets:
    description:
      - The endpoints to test, in the order the results are returned.
      - Exactly one of O(targets) and O(targets_json) is required.
    type: list
    elements: dict
    suboptions:
      host:
        description:
          - Host name or IP address to connect to. Must not be empty.
          - With O(proxy) and O(targets[].tls=true) the name is resolved by the proxy, not locally.
        type: str
        required: true
      port:
        description:
          - TCP port, 1 to 65535.
        type: int
        required: true
      expect:
        description:
          - The state this target must be in, one of V(open), V(refused), V(filtered), V(unresolved)
            or V(reachable) (V(open) or V(refused)).
          - Defaults to the module-level O(expect).
          - Checked by the module itself so that an invalid value is reported with the index of the
            target.
          - Case-sensitive on every platform, like O(expect) (V(Open) is refused on Windows too).
        type: str
      tls:
        description:
          - Complete a TLS handshake once connected, and report it in the C(tls_*) result fields.
          - A target with O(targets[].tls=true) whose port is V(open) but whose handshake fails does
            not meet its expectation.
          - With O(proxy) set the connection goes through the proxy (HTTP C(CONNECT)).
        type: bool
        default: false
      name:
        description:
          - A free label, returned as is in RV(results[].name) and used in failure messages.
        type: str
  targets_json:
    description:
      - The same list as O(targets), given as one JSON string (for example
        C({{ my_targets | to_json }})).
      - Ansible templates, checks and transfers one string much faster than a list of
        thousands of dicts (about 0.3 s less for 1,500 targets); C(webroot.enterprise.verify)
        uses it. Each target is validated the same way, errors name C(targets[INDEX].FIELD).
    type: str
    version_added: "0.2.0"
  results_as:
    description:
      - V(list) returns RV(results) as a list of dicts.
      - V(json) returns the same list as one JSON string in RV(results_json) and leaves
        RV(results) empty, so that Ansible does not handle every result dict on its own
        (about 0.3 s less for 1,500 targets). Decode it with C(from_json).
      - RV(summary) is returned either way.
    type: str
    choices: [list, json]
    default: list
    version_added: "0.2.0"
  timeout:
    description:
      - Seconds to wait for each connection attempt (and for each TLS handshake or proxy answer).
      - A target that has not answered within this time is V(filtered).
      - Name resolution is bounded separately by the larger of 5 seconds and this value.
    type: float
    default: 2.0
  concurrency:
    description:
      - How many connects are in flight at the same time; the rest wait for a free slot.
      - The default lets 1,500 targets go in one wave. The soft open-files limit
        (RLIMIT_NOFILE) is raised up to the hard limit when needed, and the concurrency is
        capped to what the limit allows; RV(summary.concurrency) tells the value used.
    type: int
    default: 2048
  expect:
    description:
      - The expected state of targets that have no O(targets[].expect) of their own.
      - The values are lowercase and checked case-sensitively on POSIX and on Windows alike,
        so V(Open) is refused on both. (Windows modules' option parser, C(Ansible.Basic), would
        accept choices in any case; the Windows side checks again so that a playbook behaves
        the same whichever host it runs on.)
    type: str
    default: open
    choices: [open, refused, filtered, unresolved, reachable]
  fail_on_mismatch:
    description:
      - Fail, naming the offending targets, when a target does not meet its expectation.
        RV(results) and RV(summary) are returned either way.
      - With V(false) the module succeeds and RV(summary.mismatches) lists them.
    type: bool
    default: true
  proxy:
    description:
      - An HTTP proxy, C(http://host:port) (credentials as C(http://user:password@host:port),
        with C(/), C(?) and C(#) in them percent-encoded), through which the
        O(targets[].tls=true) targets are reached with HTTP C(CONNECT).
      - Targets without O(targets[].tls) are always connected directly.
      - For a proxied target RV(results[].state) describes the tunnel. V(open) when the proxy
        answered 2xx to C(CONNECT), V(filtered) when the proxy could not be reached or answered
        anything else (its answer is in RV(results[].error)), V(unresolved) when the proxy's name
        does not resolve.
      - The option is C(no_log), as it may hold a password, so its value is hidden in the task's
        output (C(invocation) shows V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER)). Results and messages
        name the proxy by C(host:port) only, never with the user name or password (an invalid
        value is shown without them too).
    type: str
  tls_server_name:
    description:
      - Server name (SNI, and the name checked with O(validate_certs=true)) for the TLS handshakes.
      - Defaults to each target's O(targets[].host).
    type: str
  validate_certs:
    description:
      - Verify the server certificate (chain and name) during TLS handshakes.
      - Defaults to V(false) because the lab's update endpoint uses a self-signed certificate;
        with V(false) any certificate is accepted and only the handshake itself is tested.
        RV(results[].tls_cert_sha256) still tells which certificate was presented.
    type: bool
    default: false
  ca_path:
    description:
      - A PEM file or a directory of CA certificates to trust with O(validate_certs=true),
        instead of the system's trust store.
      - Not supported on Windows, where the system store is used.
    type: path
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The checks are read-only, so they run in check mode as well.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix, windows
notes:
  - Traffic leaves from the managed host, so run this module on the host whose flows are checked
    (with C(delegate_to) if needed).
  - On Windows the TCP stack resends a SYN that was answered with a reset, and reports the port
    refused only after its retries (about a second apart), so within O(timeout) a closed port
    would read V(filtered). The Windows implementation therefore sets C(SIO_TCP_INITIAL_RTO) with
    C(TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS) on each socket (Windows 10 1709, Windows Server 2019
    and later), so that a reset reads V(refused) at once, and a SYN that went unanswered is sent once
    more on a new socket while time remains. Older Windows (Windows Server 2016, Windows 10 before
    1709) and a host where that call fails cannot tell a reset from no answer within O(timeout);
    their results carry RV(results[].rst_detectable=false), a V(filtered) target's
    RV(results[].error) says that the port may be closed, and the module warns. Keep O(timeout)
    above 1 second there (the default is 2).
  - On Windows O(timeout) is read as a double, with a C(.) as the decimal separator whatever the
    host's culture (C(Ansible.Basic) alone would parse it as a single-precision number in the
    host's culture).
  - On POSIX hosts the connects are non-blocking sockets driven from one thread by a C(selectors)
    loop, each distinct host name is resolved once, and the TLS handshakes are done afterwards by
    a few threads.
seealso:
  - module: ansible.builtin.wait_for
  - module: ansible.windows.win_wait_for
"""

EXAMPLES = r"""
- name: Check the Webroot flows from a client
  webroot.enterprise.port_check:
    targets:
      - {host: distributor01.example.com, port: 8080, name: distributor}
      - {host: update.example.com, port: 443, tls: true, name: updates}
      - {host: 10.0.0.5, port: 3389, expect: filtered, name: rdp must stay closed}

- name: Check the update endpoint through the corporate proxy, and keep going on mismatch
  webroot.enterprise.port_check:
    targets:
      - {host: update.example.com, port: 443, tls: true}
    proxy: http://proxy.example.com:3128
    validate_certs: true
    fail_on_mismatch: false
  register: updates

- name: Show what did not match
  ansible.builtin.debug:
    var: updates.summary.mismatches

- name: Many targets at once, only caring that packets get through
  webroot.enterprise.port_check:
    targets: "{{ groups['webroot_servers'] | map('community.general.dict_kv', 'host')
                 | map('combine', {'port': 8080}) | list }}"
    expect: reachable
    timeout: 1
"""

RETURN = r"""
results:
  description:
    - One entry per target, in the order of O(targets).
    - Empty when the input was invalid.
  returned: always
  type: list
  elements: dict
  contains:
    index:
      description: Position of the target in O(targets).
      type: int
      returned: always
      sample: 0
    name:
      description: The target's O(targets[].name), or V(null).
      type: str
      returned: always
      sample: updates
    host:
      description: The target's host as given.
      type: str
      returned: always
      sample: update.example.com
    address:
      description:
        - The IP address that was connected to.
        - V(null) when the name did not resolve, or when the target went through O(proxy).
      type: str
      returned: always
      sample: 192.0.2.10
    port:
      description: The target's port.
      type: int
      returned: always
      sample: 443
    state:
      description: What was found, V(open), V(refused), V(filtered) or V(unresolved).
      type: str
      returned: always
      sample: open
    expected:
      description: The state that was expected (O(targets[].expect) or O(expect)).
      type: str
      returned: always
      sample: open
    ok:
      description:
        - Whether the target met its expectation (and, with O(targets[].tls=true) and an open
          port, whether the TLS handshake succeeded).
      type: bool
      returned: always
      sample: true
    elapsed_ms:
      description: Milliseconds the connection attempt took (the proxy tunnel for proxied targets).
      type: float
      returned: always
      sample: 0.8
    error:
      description: Why the connection did not succeed, V(null) when it did.
      type: str
      returned: always
      sample: no answer within 2s
    tls:
      description: Whether a TLS handshake was requested.
      type: bool
      returned: always
      sample: true
    proxy:
      description:
        - The proxy the target went through, as C(host:port) (never with the user name or
          password), or V(null).
        - Not the O(proxy) URL as given, which is C(no_log) and would be hidden.
      type: str
      returned: always
      sample: proxy.example.com:3128
    rst_detectable:
      description:
        - Windows only (absent on POSIX, where a reset is always reported at once).
        - V(true) when the socket reported a reset (TCP RST) as V(refused) whenever it came
          within O(timeout) (C(SIO_TCP_INITIAL_RTO) with no SYN retransmissions, Windows 10 1709,
          Windows Server 2019 and later).
        - V(false) when it could not (older Windows, or C(SIO_TCP_INITIAL_RTO) failed). V(open)
          and V(refused) are still certain, but V(filtered) means no answer I(or) a closed port
          whose reset Windows reported too late.
        - V(null) when no connection was made from this host to the target (V(unresolved), or
          through O(proxy)).
      type: bool
      returned: on Windows
      sample: true
    tls_ok:
      description:
        - Whether the TLS handshake succeeded; V(null) without O(targets[].tls).
        - V(false) when it failed or could not be attempted because the port was not open.
      type: bool
      returned: always
      sample: true
    tls_version:
      description: Negotiated protocol version, or V(null).
      type: str
      returned: always
      sample: TLSv1.3
    tls_cipher:
      description:
        - Negotiated cipher suite, or V(null).
        - On POSIX the OpenSSL name (V(TLS_AES_256_GCM_SHA384) for TLS 1.3,
          V(ECDHE-RSA-AES256-GCM-SHA384) for TLS 1.2).
        - On Windows with PowerShell 7 (.NET 5+) the IANA name from
          C(SslStream.NegotiatedCipherSuite) (V(TLS_AES_256_GCM_SHA384),
          V(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)).
        - On Windows PowerShell 5.1 (.NET Framework), which does not expose the suite, a name
          built in the IANA shape from the algorithms it does report, without the
          authentication algorithm and the mode (V(TLS_ECDHE_WITH_AES_256_SHA384)). It tells
          the key exchange, cipher and hash, but it is not a registered suite name.
      type: str
      returned: always
      sample: TLS_AES_256_GCM_SHA384
    tls_cert_sha256:
      description: SHA-256 fingerprint (hex) of the server certificate, or V(null).
      type: str
      returned: always
      sample: 3f1c0e4b8e0d7f6a9b2c1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6
    tls_error:
      description: Why the TLS handshake failed or was not attempted, or V(null).
      type: str
      returned: always
      sample: "TLS handshake failed: WRONG_VERSION_NUMBER"
    tls_elapsed_ms:
      description: Milliseconds the TLS handshake took, or V(null).
      type: float
      returned: always
      sample: 4.2
results_json:
  description:
    - With O(results_as=json), RV(results) as one JSON string (the same entries); V(null) otherwise.
  returned: always
  type: str
  version_added: "0.2.0"
  sample: '[{"index": 0, "name": "updates", "state": "open", "ok": true}]'
summary:
  description: Counts over all targets.
  returned: always
  type: dict
  contains:
    total:
      description: Number of targets.
      type: int
      returned: always
      sample: 3
    open:
      description: Targets found V(open).
      type: int
      returned: always
      sample: 2
    refused:
      description: Targets found V(refused).
      type: int
      returned: always
      sample: 0
    filtered:
      description: Targets found V(filtered).
      type: int
      returned: always
      sample: 1
    unresolved:
      description: Targets found V(unresolved).
      type: int
      returned: always
      sample: 0
    ok:
      description: Targets that met their expectation.
      type: int
      returned: always
      sample: 3
    failed:
      description: Targets that did not meet their expectation.
      type: int
      returned: always
      sample: 0
    tls_failed:
      description: Targets with O(targets[].tls=true) whose TLS handshake failed or was not attempted.
      type: int
      returned: always
      sample: 0
    mismatches:
      description:
        - The targets that did not meet their expectation, with C(index), C(name), C(host),
          C(port), C(expected), C(state), C(error) and C(tls_error).
      type: list
      elements: dict
      returned: always
      sample:
        - {index: 2, name: rdp, host: 10.0.0.5, port: 3389, expected: filtered, state: open,
           error: null, tls_error: null}
    elapsed_ms:
      description: Milliseconds the whole check took.
      type: float
      returned: always
      sample: 2004.7
    concurrency:
      description: The number of connects allowed in flight at once (after capping).
      type: int
      returned: always
      sample: 3
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.webroot.enterprise.plugins.module_utils.portcheck import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    EXPECT_CHOICES,
    PortCheckError,
    build_summary,
    mismatch_message,
    results_json,
    run_checks,
    targets_from_json,
)


def argument_spec():
    return dict(
        targets=dict(
            type="list",
            elements="dict",
            options=dict(
                host=dict(type="str", required=True),
                port=dict(type="int", required=True),
                expect=dict(type="str"),
                tls=dict(type="bool", default=False),
                name=dict(type="str"),
            ),
        ),
        targets_json=dict(type="str"),
        results_as=dict(type="str", default="list", choices=["list", "json"]),
        timeout=dict(type="float", default=DEFAULT_TIMEOUT),
        concurrency=dict(type="int", default=DEFAULT_CONCURRENCY),
        expect=dict(type="str", default="open", choices=list(EXPECT_CHOICES)),
        fail_on_mismatch=dict(type="bool", default=True),
        proxy=dict(type="str", no_log=True),
        tls_server_name=dict(type="str"),
        validate_certs=dict(type="bool", default=False),
        ca_path=dict(type="path"),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           mutually_exclusive=[("targets", "targets_json")],
                           required_one_of=[("targets", "targets_json")])
    params = module.params
    as_json = params["results_as"] == "json"
    try:
        results, summary = run_checks(
            targets_from_json(params["targets_json"]) if params["targets"] is None else params["targets"],
            timeout=params["timeout"],
            concurrency=params["concurrency"],
            expect=params["expect"],
            proxy=params["proxy"],
            tls_server_name=params["tls_server_name"],
            validate_certs=params["validate_certs"],
            ca_path=params["ca_path"],
        )
    except PortCheckError as exc:
        module.fail_json(msg=str(exc), changed=False, results=[], results_json=None, summary=build_summary([]))
    out = {"results": [], "results_json": results_json(results)} if as_json else {"results": results, "results_json": None}
    if summary["failed"] and params["fail_on_mismatch"]:
        module.fail_json(msg=mismatch_message(summary), changed=False, summary=summary, **out)
    msg = "%d of %d targets met their expectation" % (summary["ok"], summary["total"])
    module.exit_json(changed=False, msg=msg, summary=summary, **out)


if __name__ == "__main__":
    main()
