// Photos and previews of the table's filter as one ZIP, built on the server in the background:
// the size is said before it starts, progress is shown while it is built (the server answers
// when it has moved on), and the finished file downloads like any other (resumable).
import * as api from './api.js';
import { h, sentence } from './dom.js';

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

function jobLine(job) {
  if (job.state === 'done') {
    return h('span', {}, h('a', { href: api.exportDownloadUrl(job.id), download: '' },
      `Download the ZIP (${megabytes(job.zip_bytes)})`), ` · ${job.files} files`);
  }
  if (job.state === 'failed') return h('span', { class: 'error' }, sentence(job.error || 'it failed'));
  const bar = h('progress', { max: Math.max(1, job.total_bytes), value: job.done_bytes, 'aria-label': 'ZIP built so far' });
  return h('span', {}, bar, ` Building: ${megabytes(job.done_bytes)} of ${megabytes(job.total_bytes)}`);
}

// Follows a job until it is done or failed, redrawing `into` each time the server says it moved.
async function follow(job, into) {
  into.replaceChildren(jobLine(job));
  while (job.state === 'building' && document.contains(into)) {
    job = await api.exportJob(job.id, `${job.state}:${job.done_bytes}`);
    into.replaceChildren(jobLine(job));
  }
}

// The "Photos as ZIP" control for a filter (URLSearchParams of the table).
export function photoExportControl(params) {
  const panel = h('div', { class: 'photo-export', role: 'status', 'aria-live': 'polite' });
  const start = h('button', {
    type: 'button', class: 'secondary',
    onclick: async () => {
      panel.replaceChildren('Counting the photos…');
      try {
        const size = await api.photoExportSize(params);
        if (!size.files) {
          panel.replaceChildren('These consultations have no photos.');
          return;
        }
        const build = h('button', {
          type: 'button',
          onclick: async () => {
            try {
              const job = await api.startPhotoExport(params);
              await follow(job, panel);
            } catch (e) {
              if (e.status === 401) throw e;
              panel.replaceChildren(h('span', { class: 'error' }, sentence(e.message)));
            }
          },
        }, 'Build the ZIP');
        panel.replaceChildren(
          `${size.files} photos, previews and signatures, ${megabytes(size.bytes)}. `, build);
      } catch (e) {
        if (e.status === 401) throw e;
        panel.replaceChildren(h('span', { class: 'error' }, sentence(e.message)));
      }
    },
  }, 'Photos as ZIP…');
  return { start, panel };
}

// This person's recent photo exports, each with its download or progress.
export async function recentPhotoExports() {
  const { exports } = await api.photoExports();
  if (!exports.length) return null;
  return h('details', { class: 'recent-exports' },
    h('summary', {}, `Your photo exports (${exports.length})`),
    h('ul', {}, exports.map((job) => {
      const line = h('span');
      follow(job, line);
      return h('li', {}, `${job.created_at.replace('T', ' ').slice(0, 16)} · ${job.filter || 'all consultations'}: `, line);
    })));
}
