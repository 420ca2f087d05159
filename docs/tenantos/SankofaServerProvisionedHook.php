<?php
// Reference hook: tells Sankofa IT a server finished provisioning, so its switch port is set up
// (description srv-<id>-<name> and its first bindings). Review against your Tenantos version:
// attach it to whatever your release fires when an installation completes.

namespace App\Custom\Hooks;

use App\Custom\EventListeners\SankofaPortSecurityListener;

class SankofaServerProvisionedHook
{
    /** Called after Tenantos provisioned (installed) server $serverId. */
    public function afterServerProvisioned(int $serverId): void
    {
        SankofaPortSecurityListener::post(['serverId' => $serverId], 'provisioning/event');
    }
}
