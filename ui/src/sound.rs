//! Short tones for the station screens, made with Web Audio (nothing to download).
//! Browsers let a page make sound only after a tap on it, so a `Beeper` is made when the
//! cook turns the sound on.

use web_sys::AudioContext;

/// Plays the station screen's tones.
pub struct Beeper(AudioContext);

impl Beeper {
    /// None where the browser has no Web Audio.
    pub fn new() -> Option<Self> {
        AudioContext::new().ok().map(Beeper)
    }

    /// A new ticket: two rising tones.
    pub fn new_ticket(&self) {
        self.play(&[(880.0, 0.0, 0.12), (1320.0, 0.16, 0.18)]);
    }

    /// A ticket turned late: two low tones.
    pub fn late(&self) {
        self.play(&[(440.0, 0.0, 0.25), (440.0, 0.35, 0.25)]);
    }

    /// `tones`: frequency (Hz), start after now (s), length (s).
    fn play(&self, tones: &[(f32, f64, f64)]) {
        let ctx = &self.0;
        // Suspended until the page was tapped, or after the screen slept.
        let _ = ctx.resume();
        let now = ctx.current_time();
        for &(frequency, after, length) in tones {
            let (Ok(tone), Ok(volume)) = (ctx.create_oscillator(), ctx.create_gain()) else {
                return;
            };
            tone.frequency().set_value(frequency);
            volume.gain().set_value(0.3);
            // Faded out, not cut: a cut clicks.
            let _ = volume
                .gain()
                .set_target_at_time(0.0, now + after + length * 0.7, 0.02);
            let _ = tone.connect_with_audio_node(&volume);
            let _ = volume.connect_with_audio_node(&ctx.destination());
            let _ = tone.start_with_when(now + after);
            let _ = tone.stop_with_when(now + after + length);
        }
    }
}
