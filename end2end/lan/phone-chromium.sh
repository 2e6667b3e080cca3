#!/bin/sh
# Chromium as a phone: inside a test LAN's network namespace, with a home whose
# certificate store trusts the box's CA. network.ts sets both (phoneEnv).
exec ip netns exec "${COMANDA_PHONE_NETNS:?}" env HOME="${COMANDA_PHONE_HOME:?}" /usr/bin/chromium "$@"
