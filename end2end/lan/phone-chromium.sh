#!/bin/sh
# Chromium as the phone: inside the test LAN's network namespace, with a home whose
# certificate store trusts the box's CA (made by global-setup.ts).
here=$(cd "$(dirname "$0")/../.." && pwd)
exec ip netns exec comanda-e2e env HOME="$here/target/e2e-phone-home" /usr/bin/chromium "$@"
