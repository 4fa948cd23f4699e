package dev.palaver.server.calls;

import dev.palaver.media.transport.Transport;

/** A transport that also hands both sides' audio to the call's {@link CallRecorder}. */
final class RecordingTransport implements Transport {

    private final Transport inner;
    private final CallRecorder recorder;

    RecordingTransport(Transport inner, CallRecorder recorder) {
        this.inner = inner;
        this.recorder = recorder;
    }

    @Override
    public void start(Listener listener) {
        inner.start(new Listener() {
            @Override
            public void onAudio(short[] frame) {
                recorder.callerAudio(frame);
                listener.onAudio(frame);
            }

            @Override
            public void onMarkPlayed(String name) {
                listener.onMarkPlayed(name);
            }

            @Override
            public void onDtmf(char digit) {
                listener.onDtmf(digit);
            }

            @Override
            public void onClosed() {
                listener.onClosed();
            }
        });
    }

    @Override
    public void sendAudio(short[] frame) {
        recorder.agentAudio(frame);
        inner.sendAudio(frame);
    }

    @Override
    public void sendMark(String name) {
        inner.sendMark(name);
    }

    @Override
    public void clear() {
        inner.clear();
    }

    @Override
    public void sendDtmf(String digits) {
        inner.sendDtmf(digits);
    }

    @Override
    public void hangUp() {
        inner.hangUp();
    }
}
