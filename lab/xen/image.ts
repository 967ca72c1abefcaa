// The real-Xen lab's Dom0 image, built by the project's own scripts (lab/xen/image/) from
// Debian's packages and cached under /var/cache/tvd-lab/xen by a digest of its recipe: stage 1
// (the Debian root, slow) by rootfs.sh's, stage 2 (the lab's files, the guest, the ext4 image)
// by stage 1's and its own files'. A second `up` reuses both; `tvd-lab clean --kind xen` removes them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../process.js';

export const IMAGE_CACHE = '/var/cache/tvd-lab/xen';
const RECIPE = fileURLToPath(new URL('../../../lab/xen/image/', import.meta.url));
/** Stage 2's inputs besides stage 1: the script, the guest's init and the Dom0's files. */
const STAGE2_FILES = ['customise.sh', 'guest-init'];

export interface XenImage {
  dir: string;
  disk: string;
  xen: string;
  kernel: string;
  initrd: string;
}

/** Where the lab's PV guest lives inside each Dom0 (the image puts it there). */
export const GUEST = { kernel: '/srv/tvd-lab/guest/vmlinuz', ramdisk: '/srv/tvd-lab/guest/initrd.gz' };

const digest = (parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};

/** The two stages' cache folders, from the recipe's files alone. */
export function imagePaths(): { rootfs: string; image: string } {
  // Stage 1's is `sha256sum rootfs.sh`, so a root built by hand from the script is found too.
  const d1 = createHash('sha256')
    .update(readFileSync(join(RECIPE, 'rootfs.sh')))
    .digest('hex')
    .slice(0, 16);
  const files = readdirSync(join(RECIPE, 'files')).sort();
  const d2 = digest([
    d1,
    ...STAGE2_FILES.map((f) => readFileSync(join(RECIPE, f))),
    ...files.flatMap((f) => [f, readFileSync(join(RECIPE, 'files', f))]),
  ]);
  return { rootfs: join(IMAGE_CACHE, `rootfs-${d1}`), image: join(IMAGE_CACHE, `image-${d2}`) };
}

/** Builds what is missing (under a lock, so two `up`s build once) and returns the image. */
export async function ensureImage(log: (line: string) => void = () => undefined): Promise<XenImage> {
  const { rootfs, image } = imagePaths();
  mkdirSync(IMAGE_CACHE, { recursive: true });
  const lock = join(IMAGE_CACHE, '.build.lock');
  const logFile = join(IMAGE_CACHE, 'build.log');
  const build = async (out: string, what: string, script: string, args: string[]) => {
    if (existsSync(out)) return;
    log(`building ${what} into ${out} (log: ${logFile})`);
    // Checked again under the lock: another `up` may have built it meanwhile.
    const sh = '[ -d "$1" ] || { shift; sh "$@"; } >>"$TVDLAB_LOG" 2>&1';
    const r = await run(['flock', lock, 'sh', '-c', sh, 'build', out, join(RECIPE, script), ...args], {
      env: { ...process.env, TVDLAB_LOG: logFile },
    });
    if (r.code !== 0 || !existsSync(out)) throw new Error(`building ${what} failed (exit ${r.code}); see ${logFile}: ${tail(logFile)}`);
  };
  await build(rootfs, 'stage 1 of the Dom0 image (Debian 12, Xen 4.17; about 5 minutes)', 'rootfs.sh', [rootfs]);
  await build(image, "stage 2 of the Dom0 image (the lab's files and guest)", 'customise.sh', [rootfs, image]);
  return imageFiles(image);
}

function imageFiles(dir: string): XenImage {
  return {
    dir,
    disk: join(dir, 'dom0.img'),
    xen: join(dir, 'boot/xen'),
    kernel: join(dir, 'boot/vmlinuz'),
    initrd: join(dir, 'boot/initrd.img'),
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
}

/** `tvd-lab clean --kind xen`: every cached stage. Labs that are up keep their overlays' base open. */
export function cleanImages(): boolean {
  const found = existsSync(IMAGE_CACHE);
  rmSync(IMAGE_CACHE, { recursive: true, force: true });
  return found;
}
