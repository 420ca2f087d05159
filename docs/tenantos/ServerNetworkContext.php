<?php
// Tenantos event listener: tells Sankofa IT which IPs were assigned to or removed from a server,
// one POST /api/port-security/event per IP, so the server's switch port bindings follow.
// Install in /var/www/html/app/Custom/EventListeners/ (class name = file name, as Tenantos
// requires) with SankofaEventPoster.php beside it, then run `app event:cache` (README.md).

namespace App\Custom\EventListeners;

// Tenantos documents the event names (Developers system -> Events) and that their classes live
// under app/Events/publicEvents; the serverIpAssignments sub-namespace is taken from third-party
// listeners, not from the docs. Check with `ls /var/www/html/app/Events/publicEvents/*/`.
use App\Events\publicEvents\serverIpAssignments\afterServerIpAssignments;
use App\Events\publicEvents\serverIpAssignments\afterServerIpRemovals;

class ServerNetworkContext
{
    // Two handle* methods, each type-hinting its event: Laravel's event discovery (which
    // `app event:cache` runs) registers every public handle* method for the class of its first
    // parameter, so this one class listens to both events.

    public function handleIpAssignments(afterServerIpAssignments $event): void
    {
        $this->forward($event, 'addedIps', 'ip_assigned');
    }

    public function handleIpRemovals(afterServerIpRemovals $event): void
    {
        $this->forward($event, 'deletedIps', 'ip_removed');
    }

    private function forward(object $event, string $property, string $action): void
    {
        // Never throw into Tenantos: the IP change already happened; a failed post is logged.
        try {
            if (self::vlanActions($event) === 'none') {
                // The caller asked Tenantos not to touch the network (third-party automations use
                // this to avoid loops); the port follows at the next Apply All instead.
                SankofaEventPoster::log("performVlanActions is none: $action not sent for server " . json_encode($event->serverId ?? null));
                return;
            }
            $serverId = SankofaEventPoster::positiveId($event->serverId ?? null);
            if ($serverId === null) {
                SankofaEventPoster::log("$action: event without a usable serverId: " . json_encode($event->serverId ?? null));
                return;
            }
            foreach (self::ips($event->{$property} ?? []) as $ip) {
                SankofaEventPoster::post(SankofaEventPoster::PORT_SECURITY_DOOR, ['action' => $action, 'serverId' => $serverId, 'ip' => $ip]);
            }
        } catch (\Throwable $e) {
            SankofaEventPoster::log("$action listener failed: " . get_class($e) . ': ' . $e->getMessage());
        }
    }

    /**
     * The request's performVlanActions ("perform" | "preview" | "none", the documented values of
     * POST /servers/{id}/ipassignments). Not documented on the event: a property of that name is
     * used when present (a guess), else the current HTTP request as third-party listeners read it.
     */
    private static function vlanActions(object $event): ?string
    {
        if (isset($event->performVlanActions) && is_string($event->performVlanActions)) {
            return $event->performVlanActions;
        }
        if (!function_exists('request')) {
            return null;
        }
        try {
            $value = \request()->input('performVlanActions');
        } catch (\Throwable $e) {
            // Outside an HTTP request (a queued job, the CLI) there is no request to ask.
            return null;
        }
        return is_string($value) ? $value : null;
    }

    /**
     * The IP addresses in addedIps/deletedIps. Their shape is not documented; third-party
     * listeners (not the docs) show elements that are either a string or an array, so both are
     * taken: a string as is; an array's `ip`, else `ipAddress`, else its first string value that
     * is an IP address. Anything else is logged and skipped.
     *
     * @return string[]
     */
    public static function ips($elements): array
    {
        $ips = [];
        foreach (is_array($elements) ? $elements : [$elements] as $element) {
            $ip = self::ipOf($element);
            if ($ip === null) {
                SankofaEventPoster::log('no IP address in element ' . json_encode($element));
                continue;
            }
            $ips[$ip] = $ip;
        }
        return array_values($ips);
    }

    private static function ipOf($element): ?string
    {
        if (is_string($element)) {
            return trim($element) === '' ? null : trim($element);
        }
        if (!is_array($element)) {
            return null;
        }
        foreach (['ip', 'ipAddress'] as $key) {
            if (isset($element[$key]) && is_string($element[$key]) && trim($element[$key]) !== '') {
                return trim($element[$key]);
            }
        }
        foreach ($element as $value) {
            if (is_string($value) && filter_var(trim($value), FILTER_VALIDATE_IP) !== false) {
                return trim($value);
            }
        }
        return null;
    }
}
