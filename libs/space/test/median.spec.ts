import { median } from '../src/median';

describe('median', () => {
  it('is the middle value, or the mean of the two middle values, of an unsorted sample', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median(Float64Array.of(-1e9, 0.5, 7))).toBe(0.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('leaves its input as it was', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
