<?php
// Tells Sankofa IT a server finished provisioning (POST /api/provisioning/event), so its switch
// port gets its description srv-<id>-<name> and its first bindings. Tenantos's name for
// "installation finished" differs between releases and is not in the docs: call serverProvisioned()
// from whatever your release fires when an installation completes (see README.md).
// Install in /var/www/html/app/Custom/Hooks/.

namespace App\Custom\Hooks;

use App\Custom\EventListeners\SankofaEventPoster;

class SankofaServerProvisionedHook
{
    /** Posts the provisioning event for $serverId; logs instead of throwing when it fails. */
    public static function serverProvisioned(int $serverId): bool
    {
        return SankofaEventPoster::post(SankofaEventPoster::PROVISIONING_DOOR, ['serverId' => $serverId]);
    }
}
