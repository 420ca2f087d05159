<?php
// Tenantos route hook: tells Sankofa IT a server was deleted (POST /api/port-security/event,
// action server_deleted), so the bindings on its switch port are wiped.
// Install in /var/www/html/app/Custom/Hooks/ and register it as
//   route.post.afterResponseTransform.<route name of server deletion>
// Tenantos documents the hook names (route.post.afterResponseTransform.{routeName}) but not the
// name of each route: find it with `app route:list` (for example servers.destroy, by analogy with
// the documented servers.ipassignments.destroy), and wire the class the way
// app/Custom/Hooks/routeHooksExample.php.example on your release shows. The arguments Tenantos
// passes to a route hook are not documented either, hence the tolerant __invoke below.

namespace App\Custom\Hooks;

use App\Custom\EventListeners\SankofaEventPoster;

class SankofaServerDeletedHook
{
    /**
     * Runs after Tenantos answered the deletion. Returns its first argument unchanged, so that if
     * Tenantos passes the response data through its after-response hooks it goes out untouched.
     */
    public function __invoke(...$args)
    {
        try {
            if (self::failed($args)) {
                // The server still exists: wiping its port would cut it off.
                SankofaEventPoster::log('server deletion did not succeed; server_deleted not sent');
            } else {
                $serverId = self::serverId($args);
                if ($serverId === null) {
                    SankofaEventPoster::log('server deletion hook: no server id in the route or the hook arguments; server_deleted not sent');
                } else {
                    self::serverDeleted($serverId);
                }
            }
        } catch (\Throwable $e) {
            SankofaEventPoster::log('server deletion hook failed: ' . get_class($e) . ': ' . $e->getMessage());
        }
        return $args[0] ?? null;
    }

    /** Posts server_deleted for $serverId; the entry point when you call it from your own hook. */
    public static function serverDeleted(int $serverId): bool
    {
        return SankofaEventPoster::post(SankofaEventPoster::PORT_SECURITY_DOOR, ['action' => 'server_deleted', 'serverId' => $serverId]);
    }

    /** True when an argument is a response (anything with getStatusCode) that is not a 2xx. */
    private static function failed(array $args): bool
    {
        foreach ($args as $arg) {
            if (is_object($arg) && method_exists($arg, 'getStatusCode')) {
                $status = (int) $arg->getStatusCode();
                return $status < 200 || $status >= 300;
            }
        }
        return false;
    }

    /**
     * The deleted server's id: the current route's parameter (Laravel names it after the resource:
     * `server`; `id` and `serverId` are also tried), else the first positive integer argument.
     */
    private static function serverId(array $args): ?int
    {
        $candidates = [];
        if (function_exists('request')) {
            try {
                $route = \request()->route();
                if (is_object($route) && method_exists($route, 'parameter')) {
                    foreach (['server', 'id', 'serverId'] as $name) {
                        $candidates[] = $route->parameter($name);
                    }
                }
            } catch (\Throwable $e) {
                // No HTTP request (CLI): fall back to the arguments.
            }
        }
        foreach ($args as $arg) {
            $candidates[] = $arg;
        }
        foreach ($candidates as $value) {
            if (is_object($value) && isset($value->id)) {
                $value = $value->id; // route model binding hands over the Server model
            }
            $id = SankofaEventPoster::positiveId($value);
            if ($id !== null) {
                return $id;
            }
        }
        return null;
    }
}
