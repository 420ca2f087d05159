<?php
// Posts one event to Sankofa IT's controller. Shared by the IP listener (ServerNetworkContext) and
// the route hooks, so every event leaves Tenantos the same way: one JSON body, the shared bearer
// token, short timeouts, retries with backoff (a 503's Retry-After honoured), and never an exception back into Tenantos (a failed post
// must not fail the admin's IP assignment or server deletion; it is logged instead).

namespace App\Custom\EventListeners;

final class SankofaEventPoster
{
    public const PORT_SECURITY_DOOR = '/api/port-security/event';
    public const PROVISIONING_DOOR = '/api/provisioning/event';

    /** The first try and up to four retries: the controller recognises a repeat within 5 minutes. */
    private const TRIES = 5;

    /**
     * The longest wait between two tries, and for all of them together: the listener runs inside the
     * admin's request. A 503 (the controller's database is away, e.g. restarting) says how long to
     * wait in Retry-After (RFC 9110 section 10.2.3); it is honoured up to these bounds.
     */
    private const MAX_WAIT_S = 10;
    private const TOTAL_WAIT_S = 30;

    /**
     * Posts $event to $door (one of the constants above) on SANKOFA_CONTROLLER_URL.
     * Returns true when the controller accepted it (2xx); logs and returns false otherwise.
     */
    public static function post(string $door, array $event): bool
    {
        try {
            return self::send($door, $event);
        } catch (\Throwable $e) {
            self::log('event not sent (' . get_class($e) . ': ' . $e->getMessage() . '): ' . json_encode($event));
            return false;
        }
    }

    private static function send(string $door, array $event): bool
    {
        $base = self::setting('SANKOFA_CONTROLLER_URL');
        $token = self::setting('PORT_SECURITY_EVENT_API_BEARER_TOKEN');
        if ($base === '' || $token === '') {
            self::log('SANKOFA_CONTROLLER_URL or PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set; event not sent: ' . json_encode($event));
            return false;
        }
        if (!function_exists('curl_init')) {
            self::log('the PHP curl extension is missing; event not sent: ' . json_encode($event));
            return false;
        }
        $url = rtrim($base, '/') . $door;
        $body = json_encode($event, JSON_UNESCAPED_SLASHES);
        $waited = 0.0;
        for ($try = 1; $try <= self::TRIES; $try++) {
            $retryAfter = null;
            $ch = curl_init($url);
            curl_setopt_array($ch, [
                CURLOPT_POST => true,
                CURLOPT_POSTFIELDS => $body,
                CURLOPT_HTTPHEADER => ['Content-Type: application/json', 'Authorization: Bearer ' . $token],
                CURLOPT_RETURNTRANSFER => true,
                // The listener runs inside the admin's request: a slow controller must not hold it long.
                CURLOPT_CONNECTTIMEOUT => 3,
                CURLOPT_TIMEOUT => 5,
                // A redirect would drop the POST body or leak the token elsewhere: report it instead.
                CURLOPT_FOLLOWLOCATION => false,
                CURLOPT_HEADERFUNCTION => static function ($ch, string $line) use (&$retryAfter): int {
                    if (preg_match('/^retry-after:\s*(\d{1,5})\s*$/i', $line, $m)) {
                        $retryAfter = (int) $m[1];
                    }
                    return strlen($line);
                },
            ]);
            $answer = curl_exec($ch);
            $errno = curl_errno($ch);
            $error = curl_error($ch);
            $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            curl_close($ch);
            if ($errno === 0 && $status >= 200 && $status < 300) {
                return true;
            }
            if ($errno === 0 && $status < 500) {
                // 3xx/4xx (wrong token, bad field, wrong URL) would be answered the same way again.
                self::log("event refused with HTTP $status by $url: " . substr((string) $answer, 0, 300) . ' event: ' . $body);
                return false;
            }
            $why = $errno !== 0 ? "network error $errno ($error)" : "HTTP $status";
            // Backoff with jitter (0.5, 1, 2, 4 s, each 50–150 %), or the controller's Retry-After when it gave one.
            $wait = $retryAfter !== null ? (float) $retryAfter : 0.5 * (2 ** ($try - 1)) * (0.5 + mt_rand() / mt_getrandmax());
            $wait = min($wait, (float) self::MAX_WAIT_S, self::TOTAL_WAIT_S - $waited);
            if ($try >= self::TRIES || $wait <= 0) {
                self::log("try $try of " . self::TRIES . " failed with $why: $body");
                break;
            }
            $how = $retryAfter !== null ? "as its Retry-After asks" : 'backing off';
            self::log("try $try of " . self::TRIES . " failed with $why; trying again in " . round($wait, 1) . " s ($how): $body");
            usleep((int) round($wait * 1000000));
            $waited += $wait;
        }
        self::log("event not delivered after $try tries to $url: $body");
        return false;
    }

    /**
     * The variable from the process environment (PHP-FPM pool, systemd), else from Tenantos's
     * .env through Laravel's env() when it exists (it does inside Tenantos, not in plain PHP).
     */
    public static function setting(string $name): string
    {
        $value = getenv($name);
        if (($value === false || $value === '') && function_exists('env')) {
            $value = env($name);
        }
        return is_string($value) ? trim($value) : '';
    }

    /** error_log always; Tenantos's activity log too when its logActivity() helper exists. */
    public static function log(string $message): void
    {
        error_log('sankofa: ' . $message);
        if (function_exists('logActivity')) {
            try {
                logActivity('sankofa: ' . $message);
            } catch (\Throwable $e) {
                // The activity log is a convenience; error_log above already has the message.
            }
        }
    }

    /** A server id as Tenantos hands it over (an int, or digits in a string), or null when it is not a positive one. */
    public static function positiveId($value): ?int
    {
        if (is_int($value) && $value > 0) {
            return $value;
        }
        if (is_string($value) && preg_match('/^\d{1,10}$/', $value) && (int) $value > 0) {
            return (int) $value;
        }
        return null;
    }
}
