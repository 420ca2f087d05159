<?php
// Reference listener: posts one port-security event per added or removed IP to Sankofa IT.
// Review against your Tenantos version before installing (see README.md).

namespace App\Custom\EventListeners;

class SankofaPortSecurityListener
{
    /** Tenantos event name => our action. */
    private const ACTIONS = [
        'afterServerIpAssignments' => ['addedIps', 'ip_assigned'],
        'afterServerIpRemovals' => ['deletedIps', 'ip_removed'],
    ];

    public function handle(string $eventName, array $payload): void
    {
        if (!isset(self::ACTIONS[$eventName])) {
            return;
        }
        [$ipsKey, $action] = self::ACTIONS[$eventName];
        $serverId = (int) ($payload['serverId'] ?? 0);
        foreach ((array) ($payload[$ipsKey] ?? []) as $ip) {
            self::post(['action' => $action, 'serverId' => $serverId, 'ip' => (string) $ip]);
        }
    }

    /** Posts one event; retries twice on network errors and 5xx (the controller dedupes repeats). */
    /** $door: 'port-security/event' (IP and deletion events) or 'provisioning/event'. */
    public static function post(array $event, string $door = 'port-security/event'): void
    {
        // SANKOFA_EVENT_URL is the port-security door; the other door sits beside it.
        $url = preg_replace('#/api/port-security/event$#', '/api/' . $door, (string) getenv('SANKOFA_EVENT_URL'));
        $token = getenv('SANKOFA_EVENT_TOKEN');
        if (!$url || !$token) {
            error_log('sankofa: SANKOFA_EVENT_URL or SANKOFA_EVENT_TOKEN is not set; event not sent');
            return;
        }
        for ($attempt = 0; $attempt < 3; $attempt++) {
            $ch = curl_init($url);
            curl_setopt_array($ch, [
                CURLOPT_POST => true,
                CURLOPT_POSTFIELDS => json_encode($event),
                CURLOPT_HTTPHEADER => ['Content-Type: application/json', 'Authorization: Bearer ' . $token],
                CURLOPT_RETURNTRANSFER => true,
                CURLOPT_TIMEOUT => 5,
            ]);
            curl_exec($ch);
            $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            curl_close($ch);
            if ($status >= 200 && $status < 500) {
                if ($status >= 400) {
                    error_log("sankofa: event refused with HTTP $status: " . json_encode($event));
                }
                return;
            }
            usleep(500000 * ($attempt + 1));
        }
        error_log('sankofa: event not delivered after 3 tries: ' . json_encode($event));
    }
}
