import { describe, expect, it } from 'vitest';
import { embedOptions, embedSnippet } from './embed-options';

describe('embed URLs', () => {
  it('read the run, the range, the theme and large type', () => {
    const o = embedOptions('/embed/abc123', '?from=120&to=480.5&theme=dark&large=1');
    expect(o).toEqual({
      runId: 'abc123',
      fromMs: 120,
      toMs: 480.5,
      theme: 'dark',
      large: true,
      contrast: false,
      lanes: [],
      autoplay: false,
      speed: null,
      loop: false,
      notes: [],
    });
  });

  it('read the lanes and the replay: autoplay, speed as a fraction, loop', () => {
    const o = embedOptions(
      '/embed/abc',
      '?lanes=worker-*,%20locks,,thread:3&autoplay=1&speed=1/200&loop',
    );
    expect(o.lanes).toEqual(['worker-*', 'locks', 'thread:3']);
    expect(o.autoplay).toBe(true);
    expect(o.speed).toBeCloseTo(0.005, 12);
    expect(o.loop).toBe(true);
    expect(embedOptions('/embed/abc', '?speed=0.01').speed).toBe(0.01);
    expect(embedOptions('/embed/abc', '?autoplay=0').autoplay).toBe(false);
  });

  it('read the presenter theme as light, high contrast and large', () => {
    expect(embedOptions('/embed/abc', '?theme=presenter')).toMatchObject({
      theme: 'light',
      large: true,
      contrast: true,
      notes: [],
    });
  });

  it('refuse a speed outside 1/1000 to real time, saying so', () => {
    for (const bad of ['0', '2', '1/5000', 'fast', '-1']) {
      const o = embedOptions('/embed/abc', `?speed=${bad}`);
      expect(o.speed).toBeNull();
      expect(o.notes.join()).toContain(`speed=${bad} ignored`);
    }
  });

  it('default to the whole run in the light theme', () => {
    expect(embedOptions('/embed/abc', '')).toMatchObject({
      fromMs: null,
      toMs: null,
      theme: 'light',
      large: false,
    });
  });

  it('drop what makes no sense, saying why', () => {
    const o = embedOptions('/embed/abc', '?from=-3&to=x&theme=neon');
    expect(o.fromMs).toBeNull();
    expect(o.toMs).toBeNull();
    expect(o.theme).toBe('light');
    expect(o.notes).toHaveLength(3);
    const backwards = embedOptions('/embed/abc', '?from=500&to=100');
    expect(backwards.toMs).toBeNull();
    expect(backwards.notes[0]).toContain('after from=500');
  });

  it('refuse paths that are not a run id', () => {
    expect(embedOptions('/embed/../etc', '').runId).toBeNull();
    expect(embedOptions('/embed/', '').runId).toBeNull();
  });

  it('give an iframe snippet with the title escaped', () => {
    expect(embedSnippet('http://h:8080', 'r1', 'a "GIL" <demo>')).toBe(
      '<iframe src="http://h:8080/embed/r1" title="a &quot;GIL&quot; &lt;demo>" width="960" ' +
        'height="540" style="border:0" loading="lazy" allowfullscreen></iframe>',
    );
  });

  it("carry the viewer link's secret on a shared server, where the slide's frame has no cookie", () => {
    expect(embedSnippet('http://10.0.0.5:8080', 'r1', 't', 'a/b')).toContain(
      'src="http://10.0.0.5:8080/embed/r1?view=a%2Fb"',
    );
  });
});
