/**
 * An init script that pins the fake camera to one size (exact width and height on every video
 * getUserMedia), so browser tests and benchmarks of video processing run at a known resolution.
 */
export function fixedCameraScript(width: number, height: number): string {
  return `(() => {
  const devices = navigator.mediaDevices;
  const open = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => {
    if (constraints && constraints.video) {
      const video = typeof constraints.video === 'object' ? constraints.video : {};
      constraints = { ...constraints, video: { ...video, width: { exact: ${width} }, height: { exact: ${height} } } };
    }
    return open(constraints);
  };
})();`;
}
