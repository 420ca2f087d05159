<?php
// Test stubs, not for Tenantos: stand-ins for Tenantos's event classes with the properties
// third-party listeners read (serverId, addedIps, deletedIps). Their namespace is the one those
// listeners import, so ServerNetworkContext's type hints are checked against it.

namespace App\Events\publicEvents\serverIpAssignments;

class afterServerIpAssignments
{
    public $serverId;
    public $addedIps;

    public function __construct($serverId, array $addedIps)
    {
        $this->serverId = $serverId;
        $this->addedIps = $addedIps;
    }
}

class afterServerIpRemovals
{
    public $serverId;
    public $deletedIps;

    public function __construct($serverId, array $deletedIps)
    {
        $this->serverId = $serverId;
        $this->deletedIps = $deletedIps;
    }
}

namespace SankofaTest;

/** The slice of Laravel's Request the listener and the deletion hook use. */
class StubRequest
{
    private $input;
    private $routeParameters;

    public function __construct(array $input, array $routeParameters)
    {
        $this->input = $input;
        $this->routeParameters = $routeParameters;
    }

    public function input($key, $default = null)
    {
        return $this->input[$key] ?? $default;
    }

    public function route()
    {
        return new StubRoute($this->routeParameters);
    }
}

class StubRoute
{
    private $parameters;

    public function __construct(array $parameters)
    {
        $this->parameters = $parameters;
    }

    public function parameter($name, $default = null)
    {
        return $this->parameters[$name] ?? $default;
    }
}

/** A response handed to an after-response hook. */
class StubResponse
{
    private $status;

    public function __construct(int $status)
    {
        $this->status = $status;
    }

    public function getStatusCode()
    {
        return $this->status;
    }
}
