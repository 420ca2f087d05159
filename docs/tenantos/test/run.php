<?php
// Test runner, not for Tenantos: plays Tenantos's part for one scenario given as JSON in argv[1]
// and runs the shipped listener and hooks against whatever SANKOFA_CONTROLLER_URL points to.
//   {"event": "assignments"|"removals", "serverId": 7, "ips": [...], "request": {...}}
//   {"hook": "deleted", "args": [...], "route": {...}, "responseStatus": 200}
//   {"hook": "provisioned", "serverId": 7}
// "request" (input) and "route" (parameters) define a request() helper as Laravel has; without
// them there is none, as in a queued job. Exits 0 when the code ran without an exception or a PHP
// warning or notice, whatever it posted (failed posts are logged to stderr, never thrown).

declare(strict_types=1);

$dir = dirname(__DIR__);
require __DIR__ . '/stubs.php';
require $dir . '/SankofaEventPoster.php';
require $dir . '/ServerNetworkContext.php';
require $dir . '/SankofaServerDeletedHook.php';
require $dir . '/SankofaServerProvisionedHook.php';

$scenario = json_decode($argv[1] ?? '', true, 512, JSON_THROW_ON_ERROR);

// A warning (an undefined index, a wrong type) is a bug in the shipped code even when it goes on.
$warnings = 0;
set_error_handler(function (int $level, string $message, string $file, int $line) use (&$warnings) {
    $warnings++;
    fwrite(STDERR, "PHP error $level: $message at $file:$line\n");
    return true;
});

if (isset($scenario['request']) || isset($scenario['route'])) {
    $GLOBALS['sankofaTestRequest'] = new SankofaTest\StubRequest($scenario['request'] ?? [], $scenario['route'] ?? []);
    function request()
    {
        return $GLOBALS['sankofaTestRequest'];
    }
}

/**
 * Hands $event to the listener as Laravel's event discovery wires it: every public handle*
 * method whose first parameter's type is the event's class. None matching means Tenantos would
 * never call the listener for this event.
 */
function dispatchToListener(object $listener, object $event): int
{
    $called = 0;
    foreach ((new ReflectionClass($listener))->getMethods(ReflectionMethod::IS_PUBLIC) as $method) {
        $first = $method->getParameters()[0] ?? null;
        $type = $first ? $first->getType() : null;
        if (strpos($method->name, 'handle') !== 0 || !$type instanceof ReflectionNamedType || $type->getName() !== get_class($event)) {
            continue;
        }
        $method->invoke($listener, $event);
        $called++;
    }
    return $called;
}

if (isset($scenario['event'])) {
    $event = $scenario['event'] === 'assignments'
        ? new App\Events\publicEvents\serverIpAssignments\afterServerIpAssignments($scenario['serverId'], $scenario['ips'])
        : new App\Events\publicEvents\serverIpAssignments\afterServerIpRemovals($scenario['serverId'], $scenario['ips']);
    if (dispatchToListener(new App\Custom\EventListeners\ServerNetworkContext(), $event) !== 1) {
        fwrite(STDERR, 'no single listener method for ' . get_class($event) . "\n");
        exit(3);
    }
} elseif (($scenario['hook'] ?? '') === 'deleted') {
    $args = $scenario['args'] ?? [];
    if (isset($scenario['responseStatus'])) {
        $args[] = new SankofaTest\StubResponse($scenario['responseStatus']);
    }
    $hook = new App\Custom\Hooks\SankofaServerDeletedHook();
    $returned = $hook(...$args);
    if ($returned !== ($args[0] ?? null)) {
        fwrite(STDERR, "the deletion hook changed what it was handed\n");
        exit(5);
    }
} elseif (($scenario['hook'] ?? '') === 'provisioned') {
    App\Custom\Hooks\SankofaServerProvisionedHook::serverProvisioned($scenario['serverId']);
} else {
    fwrite(STDERR, "unknown scenario\n");
    exit(2);
}

exit($warnings === 0 ? 0 : 4);
