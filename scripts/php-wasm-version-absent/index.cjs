// Loaded only if something asks @php-wasm/node for a PHP version the project does not install.
throw new Error("this PHP version is not installed: the tests run PHP 8.3 (package.json overrides leave out the other @php-wasm/node-* builds)");
