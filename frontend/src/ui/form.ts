import type { ParameterSpec, Scenario } from '../net/api';
import { h, humanize } from './dom';

interface Field {
  spec: ParameterSpec;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}

function rangeText(spec: ParameterSpec): string {
  const u = spec.unit ? ` ${spec.unit}` : '';
  if (spec.min != null && spec.max != null) return `${spec.min} – ${spec.max}${u}`;
  if (spec.min != null) return `≥ ${spec.min}${u}`;
  if (spec.max != null) return `≤ ${spec.max}${u}`;
  return '';
}

/** The parameter form of a scenario, built from its schema; bounds are enforced by the inputs. */
export class ParamForm {
  readonly el: HTMLElement;
  private readonly fields: Field[] = [];

  constructor(
    readonly scenario: Scenario,
    onChange: () => void,
  ) {
    this.el = h('div', { class: 'params' });
    for (const spec of scenario.parameters) {
      const id = `param-${spec.name}`;
      const error = h('div', { class: 'field-error', role: 'alert', 'aria-live': 'polite' });
      let input: HTMLInputElement | HTMLSelectElement;
      if (spec.type === 'boolean') {
        input = h('input', { id, type: 'checkbox', name: spec.name });
        input.checked = spec.default === true;
      } else if (spec.type === 'enum') {
        input = h(
          'select',
          { id, name: spec.name },
          ...(spec.options ?? []).map((o) => h('option', { value: o }, o)),
        );
        input.value = String(spec.default);
      } else {
        input = h('input', {
          id,
          name: spec.name,
          type: 'number',
          inputmode: spec.type === 'int' ? 'numeric' : 'decimal',
          step: spec.type === 'int' ? 1 : 'any',
          min: spec.min ?? undefined,
          max: spec.max ?? undefined,
          required: true,
        });
        input.value = String(spec.default);
      }
      input.dataset.param = spec.name;
      const field: Field = { spec, input, error };
      input.addEventListener('input', () => {
        this.check(field);
        onChange();
      });
      const unit = spec.unit ? h('span', { class: 'unit' }, spec.unit) : null;
      const range = rangeText(spec);
      this.el.append(
        h(
          'div',
          { class: `field field-${spec.type}` },
          h('label', { for: id }, humanize(spec.name)),
          h('div', { class: 'input-row' }, input, unit),
          spec.description || range
            ? h(
                'div',
                { class: 'help' },
                spec.description ?? '',
                range ? h('span', { class: 'range' }, ` (${range})`) : null,
              )
            : null,
          error,
        ),
      );
      this.fields.push(field);
    }
  }

  private check(f: Field): boolean {
    const { spec, input } = f;
    let msg = '';
    if (input instanceof HTMLInputElement && input.type === 'number') {
      const v = input.valueAsNumber;
      if (input.value.trim() === '' || Number.isNaN(v)) msg = 'Enter a number.';
      else if (spec.type === 'int' && !Number.isInteger(v)) msg = 'Enter a whole number.';
      else if (spec.min != null && v < spec.min) msg = `At least ${spec.min}${unitSuffix(spec)}.`;
      else if (spec.max != null && v > spec.max) msg = `At most ${spec.max}${unitSuffix(spec)}.`;
    }
    this.setError(f, msg);
    return msg === '';
  }

  private setError(f: Field, msg: string): void {
    f.error.textContent = msg;
    f.input.setAttribute('aria-invalid', msg ? 'true' : 'false');
    f.input.classList.toggle('invalid', msg !== '');
  }

  /** Checks every field; focuses the first bad one. */
  validate(): boolean {
    let first: Field | null = null;
    for (const f of this.fields) if (!this.check(f) && !first) first = f;
    first?.input.focus();
    return first === null;
  }

  /** Shows a server-side complaint (problem+json `field`) next to its input. */
  showServerError(field: string | null, detail: string): boolean {
    // The server names parameters as they sit in the request body: `params.<name>`.
    const name = field?.startsWith('params.') ? field.slice('params.'.length) : field;
    const f = this.fields.find((x) => x.spec.name === name);
    if (!f) return false;
    this.setError(f, detail);
    f.input.focus();
    return true;
  }

  values(): Record<string, number | boolean | string> {
    const out: Record<string, number | boolean | string> = {};
    for (const { spec, input } of this.fields) {
      if (spec.type === 'boolean') out[spec.name] = (input as HTMLInputElement).checked;
      else if (spec.type === 'enum') out[spec.name] = input.value;
      else out[spec.name] = Number(input.value);
    }
    return out;
  }

  setValues(values: Record<string, unknown>): void {
    for (const f of this.fields) {
      const v = values[f.spec.name];
      if (v === undefined || v === null) continue;
      if (f.spec.type === 'boolean') (f.input as HTMLInputElement).checked = v === true;
      else f.input.value = String(v);
      this.check(f);
    }
  }

  reset(): void {
    for (const f of this.fields) {
      if (f.spec.type === 'boolean')
        (f.input as HTMLInputElement).checked = f.spec.default === true;
      else f.input.value = String(f.spec.default);
      this.setError(f, '');
    }
  }

  setDisabled(disabled: boolean): void {
    for (const f of this.fields) f.input.disabled = disabled;
  }
}

function unitSuffix(spec: ParameterSpec): string {
  return spec.unit ? ` ${spec.unit}` : '';
}
