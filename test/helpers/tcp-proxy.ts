/**
 * A TCP proxy the test controls, to cut a client off from a shared service (PostgreSQL, Redis)
 * without touching the service itself: `cut()` drops every connection and refuses new ones.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
	port: number;
	cut(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	let open = true;
	const server: Server = createServer((client) => {
		if (!open) {
			client.destroy();
			return;
		}
		const upstream = connect(targetPort, targetHost);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => socket.destroy());
		}
		client.pipe(upstream).pipe(client);
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('proxy has no port');
	return {
		port: address.port,
		cut() {
			open = false;
			for (const socket of sockets) socket.destroy();
		},
		restore() {
			open = true;
		},
		close: () =>
			new Promise<void>((resolve) => {
				open = false;
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
