// Protected mode (Redis's clientAcceptHandler): while `protected-mode` is yes and the default user
// needs no password, only loopback clients are served; any other gets this message and is closed.
// Behind the default loopback bind no remote client can connect at all; the check matters once
// `bind` names a reachable address without a password being set.

export const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/** Whether a peer address is the loopback interface (127.0.0.0/8 or ::1, IPv4-mapped forms included). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  return host.startsWith('127.') || host === '::1';
}

/** Whether a new connection from `remoteAddress` must be refused. */
export function refusedByProtectedMode(protectedMode: boolean, defaultUserNoPass: boolean, remoteAddress: string | undefined): boolean {
  return protectedMode && defaultUserNoPass && !isLoopback(remoteAddress);
}
