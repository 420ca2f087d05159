<?php
// Reference route hook: tells Sankofa IT a server was deleted, so its switch port is wiped.
// Review against your Tenantos version before installing (see README.md).

namespace App\Custom\Hooks;

use App\Custom\EventListeners\SankofaPortSecurityListener;

class SankofaServerDeletedHook
{
    /** Called after Tenantos deleted server $serverId. */
    public function afterServerDeleted(int $serverId): void
    {
        SankofaPortSecurityListener::post(['action' => 'server_deleted', 'serverId' => $serverId]);
    }
}
